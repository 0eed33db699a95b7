// Package detcbor builds offcode's one deterministic CBOR encoder and its
// strict decoders (SPEC.md §3.5), so that codes and trust bundles are
// encoded and checked by the same rules.
package detcbor

import "github.com/fxamacker/cbor/v2"

// EncMode returns an encoder for Core Deterministic Encoding (RFC 8949
// §4.2.1) that writes no indefinite lengths and no tags. It panics only if
// the CBOR library rejects these fixed options, a programming error.
func EncMode() cbor.EncMode {
	opts := cbor.CoreDetEncOptions()
	opts.IndefLength = cbor.IndefLengthForbidden
	opts.TagsMd = cbor.TagsForbidden
	em, err := opts.EncMode()
	if err != nil {
		panic("detcbor: building CBOR encoder: " + err.Error())
	}
	return em
}

// Limits bound a decoder's work on hostile input.
type Limits struct {
	MaxNestedLevels, MaxArrayElements, MaxMapPairs int
}

// DecMode returns a strict decoder: duplicate map keys, indefinite lengths,
// tags, unknown struct fields and invalid UTF-8 are errors, and the limits
// apply. It panics if the limits are outside what the CBOR library accepts
// (each at least 4 or 16), a programming error.
func DecMode(l Limits) cbor.DecMode {
	dm, err := cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		TagsMd:            cbor.TagsForbidden,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		MaxNestedLevels:   l.MaxNestedLevels,
		MaxArrayElements:  l.MaxArrayElements,
		MaxMapPairs:       l.MaxMapPairs,
		UTF8:              cbor.UTF8RejectInvalid,
	}.DecMode()
	if err != nil {
		panic("detcbor: building CBOR decoder: " + err.Error())
	}
	return dm
}
