// Package bundle implements offcode's signed trust bundles, as specified in
// SPEC.md §13: the issuer keys a scanning device trusts, the codes and
// people that are revoked, and how fresh that data is, in one CBOR file
// signed by an offline root key.
//
// A device is provisioned once with the root public key
// (ParseRootPublicPEM). It keeps a State (OpenState for one kept in a
// directory) and offers it each new bundle with State.Accept, which checks
// the root signature, refuses a rollback and applies delta bundles; package
// verify verifies codes under the bundle the State holds. Revocation lists
// are sorted fixed-width byte arrays searched in place, so a bundle with a
// million entries loads in milliseconds and a lookup (CodeRevoked,
// PersonRevoked) allocates nothing.
//
// The root holder builds a bundle with the Bundle methods (AddKey,
// RetireKey, RevokeCode, RevokePerson), signs it with Sign and, for
// devices on slow links, derives deltas with NewDelta.
package bundle
