// Package codec encodes and decodes offline health codes, as specified in
// SPEC.md §3-§6: the CWT claims payload in deterministic CBOR, its tagged
// COSE_Sign1 envelope, and the text form carried in a QR code
// ("OC1:" followed by Base45).
//
// Decoding is strict: a code has exactly one valid encoding, and anything
// else is refused with an error that says what is wrong, and for which
// verify.VerdictOf gives the verdict of SPEC.md §8.2. The package checks
// structure only; signatures and validity windows are the business of
// package verify. The wire format's building blocks (Base45, the COSE
// headers and Sig_structure) are internal.
package codec
