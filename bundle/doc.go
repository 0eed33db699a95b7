// Package bundle implements offcode's signed trust bundles, as specified in
// SPEC.md §13: the issuer keys a scanning device trusts, the codes and
// people that are revoked, and how fresh that data is, in one CBOR file
// signed by an offline root key.
//
// A device is provisioned once with the root public key. It accepts a new
// bundle with State.Accept, which checks the root signature, refuses a
// rollback and applies delta bundles; it verifies codes with a Verifier
// built from the bundle it holds. Revocation lists are sorted fixed-width
// byte arrays searched in place, so a bundle with a million entries loads
// in milliseconds and a lookup allocates nothing.
//
// The root holder builds a bundle with the Bundle methods (AddKey,
// RetireKey, RevokeCode, RevokePerson), signs it with Sign and, for
// devices on slow links, derives deltas with NewDelta.
package bundle
