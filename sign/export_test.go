package sign

// SignPayload exposes signPayload to the vector tests of package sign_test,
// which re-sign every vector's payload.
func (k *Key) SignPayload(payload []byte) []byte { return k.signPayload(payload) }
