// The server's public model is written in these modules' types (`ProxyDefinition.decode`
// takes a `JSONValue`, a `Toxic` has a `ToxicType`), so its users get them with it.
@_exported import ChaosJSON
@_exported import ChaosProxyModel
