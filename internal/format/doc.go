// Package format holds the wire-format pieces of an offline code that
// several packages need but that are not part of codec's API: strict Base45
// (SPEC.md §6.1), the COSE protected header and Sig_structure (§3.1, §3.3),
// the fixed layout of a COSE_Sign1 message (§3.1), the errors of decoding a
// code (§8) and the parameters of the identity hash (§5.2).
package format
