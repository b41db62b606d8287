import Foundation

/// Words a data-plane failure as Go's net package would, because Toxiproxy clients
/// see that text: "listen tcp 127.0.0.1:26379: bind: address already in use".
enum DataPlaneErrorText {
    static func listen(_ address: String, _ error: Error) -> String {
        let text = String(describing: error)
        if text.hasPrefix("listen tcp") { return text }
        if isAddressInUse(error, text) { return "listen tcp \(address): bind: address already in use" }
        return "listen tcp \(address): \(text)"
    }

    private static func isAddressInUse(_ error: Error, _ text: String) -> Bool {
        if let posix = error as? POSIXError, posix.code == .EADDRINUSE { return true }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain, nsError.code == Int(EADDRINUSE) { return true }
        return text.lowercased().contains("address already in use")
    }
}
