import Foundation

// The Kubernetes objects chaosctl reads, as they come over the wire: only the fields it uses,
// every one optional (the server omits empty ones, and sends `null` for some), unknown fields
// ignored. Names as in k8s.io/api core/v1 and k8s.io/apimachinery meta/v1.

/// ObjectMeta.
struct KubeObjectMeta: Codable {
    var name: String?
    var namespace: String?
    var uid: String?
    var resourceVersion: String?
    var labels: [String: String]?
    var annotations: [String: String]?
    var ownerReferences: [KubeOwnerReference]?
    /// Set once the object is terminating (`null` until then).
    var deletionTimestamp: String?
    var deletionGracePeriodSeconds: Int?
}

/// meta/v1 OwnerReference: which controller manages an object.
struct KubeOwnerReference: Codable {
    var kind: String?
    var name: String?
    var controller: Bool?
}

/// core/v1 Pod.
struct KubePodObject: Decodable {
    struct Spec: Decodable {
        var nodeName: String?
    }
    struct Condition: Decodable {
        var type: String?
        var status: String?
    }
    struct Status: Decodable {
        var phase: String?
        var conditions: [Condition]?
    }
    var metadata: KubeObjectMeta?
    var spec: Spec?
    var status: Status?
}

/// core/v1 PodList.
struct KubePodListObject: Decodable {
    struct ListMeta: Decodable {
        var resourceVersion: String?
    }
    var metadata: ListMeta?
    var items: [KubePodObject]?
}

/// meta/v1 Status: every error answer, a watch's ERROR event, and an eviction's success.
struct KubeStatusObject: Decodable {
    struct Cause: Decodable {
        var reason: String?
        var message: String?
    }
    struct Details: Decodable {
        var causes: [Cause]?
        var retryAfterSeconds: Int?
    }
    var status: String?
    var message: String?
    var reason: String?
    var code: Int?
    var details: Details?
}

/// One line of a pod watch: `{"type": …, "object": Pod}`, or a Status for ERROR events
/// (its `status` is a string there, so it cannot be read as a Pod).
struct KubePodWatchLine: Decodable {
    var type: String
    var pod: KubePodObject?
    var error: KubeStatusObject?

    private enum CodingKeys: String, CodingKey { case type, object }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        if type == "ERROR" {
            error = try container.decodeIfPresent(KubeStatusObject.self, forKey: .object)
        } else {
            pod = try container.decodeIfPresent(KubePodObject.self, forKey: .object)
        }
    }
}

/// The `/version` answer.
struct KubeVersionObject: Decodable {
    var major: String?
    var minor: String?
    var gitVersion: String?
}

/// client.authentication.k8s.io ExecCredential, as an exec plugin prints it.
struct KubeExecCredentialObject: Decodable {
    struct Status: Decodable {
        var token: String?
        var clientCertificateData: String?
        var clientKeyData: String?
        var expirationTimestamp: String?
    }
    var kind: String?
    var status: Status?
}

/// meta/v1 DeleteOptions: the UID precondition, the dry run and the grace period.
struct KubeDeleteOptions: Encodable {
    struct Preconditions: Encodable {
        var uid: String
    }
    var apiVersion: String?
    var kind: String?
    var preconditions: Preconditions
    var dryRun: [String]?
    var gracePeriodSeconds: Int?
}

/// policy/v1 Eviction.
struct KubeEviction: Encodable {
    var apiVersion = "policy/v1"
    var kind = "Eviction"
    var metadata: KubeObjectMeta
    var deleteOptions: KubeDeleteOptions
}
