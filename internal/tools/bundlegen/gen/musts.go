package gen

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"slices"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/bundlewire"
)

// The MUSTs of SPEC.md §13.3-§13.8, one vector each: every payload is
// signed by the provisioned root, so only the rule under test is broken.

// fields is a bundle payload or an issuer key, field by field.
type fields map[uint64]cbor.RawMessage

var detMode = func() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	must(err)
	return em
}()

// enc encodes v deterministically.
func enc(v any) cbor.RawMessage {
	b, err := detMode.Marshal(v)
	must(err)
	return b
}

// edit decodes the payload of b, lets f change it, and re-encodes it
// deterministically.
func edit(b *bundle.Bundle, f func(m fields)) []byte {
	m := fields{}
	must(cbor.Unmarshal(payloadOf(b), &m))
	f(m)
	return enc(m)
}

// keys returns field 5 of m as issuer-key maps.
func keys(m fields) []fields {
	var ks []fields
	must(cbor.Unmarshal(m[5], &ks))
	return ks
}

// editKey changes issuer key i of the payload.
func editKey(i int, f func(k fields)) func(m fields) {
	return func(m fields) {
		ks := keys(m)
		f(ks[i])
		m[5] = enc(ks)
	}
}

// raw is a field value given as encoded bytes.
func raw(b ...byte) cbor.RawMessage { return cbor.RawMessage(b) }

func mustCases() []*vector {
	var vs []*vector
	for _, part := range []func() []*vector{mustFieldCases, mustTypeCases, mustEnvelopeCases, mustDeltaCases} {
		vs = append(vs, part()...)
	}
	return vs
}

// malformedSigned is a vector whose payload, signed by the provisioned root,
// must be refused as malformed_bundle.
func malformedSigned(name, desc string, payload []byte) *vector {
	return &vector{name: name, desc: desc, signed: signRaw(payload), want: refused("malformed_bundle", 0)}
}

// mustFieldCases are the field, range, order and key rules of SPEC.md §13.4.
func mustFieldCases() (vs []*vector) {
	malformed := func(name, desc string, payload []byte) { vs = append(vs, malformedSigned(name, desc, payload)) }
	b10 := base(10)
	two := base(10)
	must(two.AddKey(bundle.Key{Public: IssuerKey(2).Public(), NotBefore: t0, NotAfter: t0.Add(day)}))

	malformed("version_2", "Field 1 (version) is 2: a version 1 device refuses a format it cannot fully read.",
		edit(b10, func(m fields) { m[1] = enc(2) }))
	malformed("sequence_0", "Field 2 (sequence) is 0; sequences start at 1.", edit(b10, func(m fields) { m[2] = enc(0) }))
	malformed("expires_at_equals_issued_at", "expires_at equals issued_at; it must be later.",
		edit(b10, func(m fields) { m[4] = m[3] }))
	malformed("expires_at_before_issued_at", "expires_at is one second before issued_at.",
		edit(b10, func(m fields) { m[4] = enc(uint64(t0.Unix() - 1)) }))
	malformed("issued_at_after_9999", "issued_at is 253402300800, one second past the largest NumericDate (expires_at one day later).",
		edit(b10, func(m fields) { m[3] = enc(uint64(253402300800)); m[4] = enc(uint64(253402300800 + 86400)) }))
	malformed("expires_at_after_9999", "expires_at is 253402300800, one second past the largest NumericDate.",
		edit(b10, func(m fields) { m[4] = enc(uint64(253402300800)) }))
	malformed("not_before_after_9999", "An issuer key's not_before is 253402300800 (and not_after the same).",
		edit(b10, editKey(0, func(k fields) { k[3] = enc(uint64(253402300800)); k[4] = k[3] })))
	malformed("not_after_after_9999", "An issuer key's not_after is 253402300800.",
		edit(b10, editKey(0, func(k fields) { k[4] = enc(uint64(253402300800)) })))
	malformed("not_after_before_not_before", "An issuer key's not_after is one second before its not_before.",
		edit(b10, editKey(0, func(k fields) { k[4] = enc(uint64(t0.Add(-365*day).Unix() - 1)) })))
	malformed("status_3", "An issuer key's status is 3; only 0, 1 and 2 exist.", edit(b10, editKey(0, func(k fields) { k[6] = enc(3) })))
	malformed("kinds_unsorted", "An issuer key's kinds are [1, 0]: not ascending.", edit(b10, editKey(0, func(k fields) { k[5] = enc([]int{1, 0}) })))
	malformed("kinds_duplicate", "An issuer key's kinds are [0, 0]: not unique.", edit(b10, editKey(0, func(k fields) { k[5] = enc([]int{0, 0}) })))
	malformed("kinds_empty", "An issuer key's kinds are []: at least one kind.", edit(b10, editKey(0, func(k fields) { k[5] = enc([]int{}) })))
	malformed("issuer_name_empty", "An issuer key's name (field 7) is the empty string: absent rather than empty.",
		edit(b10, editKey(0, func(k fields) { k[7] = enc("") })))
	malformed("keys_unsorted", "Two issuer keys in descending order of kid.", edit(two, func(m fields) {
		ks := keys(m)
		ks[0], ks[1] = ks[1], ks[0]
		m[5] = enc(ks)
	}))
	malformed("keys_duplicate", "The same issuer key (kid and public key) listed twice.", edit(b10, func(m fields) {
		ks := keys(m)
		m[5] = enc([]fields{ks[0], ks[0]})
	}))
	{
		small := append([]byte{1}, make([]byte, 31)...) // the identity point, of small order
		kid := sha256.Sum256(small)
		malformed("issuer_key_small_order", "An issuer key's public key is the identity point 01 00..00, of small order (SPEC.md §9.3); its kid is its hash.",
			edit(b10, editKey(0, func(k fields) { k[1] = enc(kid[:8]); k[2] = enc(small) })))
	}
	malformed("serials_not_multiple_of_8", "The revoked serials byte string is 9 bytes, not a multiple of 8.",
		edit(b10, func(m fields) { m[6] = enc(make([]byte, 9)) }))
	{
		e := func(prefix byte, before byte) []byte {
			b := make([]byte, 12)
			b[0], b[11] = prefix, before
			return b
		}
		malformed("identities_duplicate_prefix", "Two revoked-identity entries share their first 8 bytes (the hash) with different before times.",
			edit(b10, func(m fields) { m[7] = enc(append(e(1, 1), e(1, 2)...)) }))
	}
	return vs
}

// mustTypeCases are values of the wrong type (SPEC.md §13.3, §3.5 rule 7):
// none is converted to the type expected.
func mustTypeCases() (vs []*vector) {
	malformed := func(name, desc string, payload []byte) { vs = append(vs, malformedSigned(name, desc, payload)) }
	b10 := base(10)
	for _, f := range []struct {
		name string
		n    uint64
		what string
	}{{"null_keys", 5, "field 5 (keys)"}, {"null_serials", 6, "field 6 (revoked serials)"}, {"null_identities", 7, "field 7 (revoked identities)"}} {
		malformed(f.name, "null (f6) in place of "+f.what+": a value of the wrong type, not an empty list (SPEC.md §13.3).",
			edit(b10, func(m fields) { m[f.n] = raw(0xf6) }))
	}
	malformed("null_delta_removed_serials", "A delta bundle with null (f6) in place of delta field 3 (removed serials).",
		edit(deltaBundle(), func(m fields) { m[8] = editFields(m[8], func(d fields) { d[3] = raw(0xf6) }) }))
	malformed("null_delta_removed_identities", "A delta bundle with null (f6) in place of delta field 4 (removed identities).",
		edit(deltaBundle(), func(m fields) { m[8] = editFields(m[8], func(d fields) { d[4] = raw(0xf6) }) }))
	{
		p := edit(b10, func(m fields) { m[6] = raw(0xf6) })
		s := signRaw(p)
		s[len(s)-40] ^= 0x01
		vs = append(vs, &vector{name: "null_serials_bad_signature", desc: "null in place of field 6 and a root signature with one bit flipped: " +
			"the structure is checked first (SPEC.md §13.8, first failure wins): malformed, not a bad signature.",
			signed: s, want: refused("malformed_bundle", 0)})
	}
	malformed("sequence_float", "The sequence is the float 10.0 (f9 4900).", edit(b10, func(m fields) { m[2] = raw(0xf9, 0x49, 0x00) }))
	malformed("status_true", "An issuer key's status is true.", edit(b10, editKey(0, func(k fields) { k[6] = raw(0xf5) })))
	malformed("issued_at_tagged", "issued_at carries the epoch-date tag 1: 1(issued_at). No tags but the leading 18.",
		edit(b10, func(m fields) { m[3] = append(raw(0xc1), m[3]...) }))
	{
		// The payload ends with field 5's array, then 06 40 07 40 (two
		// empty revocation lists): open the array with 9f, close it with ff.
		p := payloadOf(b10)
		tail := p[len(p)-4:]
		if !bytes.Equal(tail, []byte{0x06, 0x40, 0x07, 0x40}) {
			panic("gen: unexpected payload tail")
		}
		p = append(append(replaceOnce(p[:len(p)-4], []byte{0x05, 0x81}, []byte{0x05, 0x9f}), 0xff), tail...)
		malformed("keys_indefinite_length", "Field 5 (keys) is an indefinite-length array (9f … ff).", p)
	}
	malformed("nesting_9_levels", "The first key's kinds list holds an array nested so that its innermost element is at level 9 "+
		"(payload 1, keys 2, key 3, kinds 4, then 5 more arrays): beyond the limit of 8 (SPEC.md §13.3).",
		edit(b10, editKey(0, func(k fields) { k[5] = raw(0x81, 0x81, 0x81, 0x81, 0x81, 0x80) })))
	return vs
}

// mustEnvelopeCases are the envelope rules of SPEC.md §13.3 and the
// staleness rule of §13.9.
func mustEnvelopeCases() (vs []*vector) {
	b10 := base(10)
	{
		s := signed(b10)
		// d2 84 <protected bstr> a0 …: put {4: kid} in the unprotected header.
		prot := 2 + 2 + 51 // d2 84, 58 33, 51 bytes
		kid := s[prot-8 : prot]
		withKid := append(append(bytes.Clone(s[:prot]), append([]byte{0xa1, 0x04, 0x48}, kid...)...), s[prot+1:]...)
		vs = append(vs, &vector{name: "unprotected_not_empty", desc: "The unprotected header is {4: kid} instead of the empty map.",
			signed: withKid, want: refused("malformed_bundle", 0)})
		vs = append(vs, &vector{name: "nested_tag_18", desc: "The COSE_Sign1 is wrapped in tag 18 twice: 18(18([...])).",
			signed: append([]byte{0xd2}, s...), want: refused("malformed_bundle", 0)})
		vs = append(vs, &vector{name: "self_described_tag", desc: "The file begins with the self-described CBOR tag 55799 (d9 d9f7) before tag 18.",
			signed: append([]byte{0xd9, 0xd9, 0xf7}, s...), want: refused("malformed_bundle", 0)})
		small := bytes.Clone(s)
		copy(small[len(small)-64:], append([]byte{1}, make([]byte, 31)...)) // R = identity, order 1
		vs = append(vs, &vector{name: "root_signature_small_order_r", desc: "The root signature's R is the identity point 01 00..00, of small order (SPEC.md §3.4): refused whatever S.",
			signed: small, want: refused("bad_root_signature", 0)})
	}

	// §13.9: staleness is reported whatever the code's verdict.
	{
		staleNow := t0.Add(30*day + time.Hour)
		vs = append(vs, &vector{name: "stale_bundle_code_not_decoding", desc: "The bundle expired an hour ago and the code is the prefix " +
			"alone, which does not decode: the verdict is the code's (malformed), and the bundle is still reported stale by 3600 s " +
			"(SPEC.md §13.9: staleness is a property of the bundle).",
			signed: signed(b10), code: at("OC1:", staleNow), want: codeVerdict(10, "malformed", time.Hour)})
	}
	return vs
}

// mustDeltaCases are the delta rules of SPEC.md §13.7.
func mustDeltaCases() (vs []*vector) {
	malformed := func(name, desc string, payload []byte) { vs = append(vs, malformedSigned(name, desc, payload)) }
	{
		from, delta := deltaPair()
		notHeld := editedDelta(delta, func(d fields) { d[3] = enc(entry{0x77}) })
		vs = append(vs, &vector{name: "delta_removes_entry_not_held", desc: "A delta removing a serial entry the device does not hold.",
			held: from, signed: signed(notHeld), want: refused("delta_mismatch", from.Sequence)})
		held := withSerials(delta, entry{0x42}, entry{0x43}) // 0x42.. is already in from
		vs = append(vs, &vector{name: "delta_adds_entry_held", desc: "A delta adding a serial entry the device already holds.",
			held: from, signed: signed(held), want: refused("delta_mismatch", from.Sequence)})
		malformed("delta_since_not_before_sequence", "A delta whose since equals its own sequence: since must be below it.",
			edit(delta, func(m fields) { m[8] = editFields(m[8], func(d fields) { d[1] = m[2] }) }))
	}
	return vs
}

// editFields changes the map encoded in b.
func editFields(b cbor.RawMessage, f func(m fields)) cbor.RawMessage {
	m := fields{}
	must(cbor.Unmarshal(b, &m))
	f(m)
	return enc(m)
}

// deltaPair returns a full bundle of sequence 30 holding one revoked serial
// entry (42 00..00) and a delta from it to sequence 31.
func deltaPair() (from, delta *bundle.Bundle) {
	from = base(30)
	from = withSerials(from, entry{0x42})
	to := base(31)
	to = withSerials(to, entry{0x42}, entry{0x43})
	d, err := bundle.NewDelta(from, to)
	must(err)
	return from, d
}

func deltaBundle() *bundle.Bundle { _, d := deltaPair(); return d }

// editedDelta returns delta with its delta field (8) changed by f.
func editedDelta(delta *bundle.Bundle, f func(d fields)) *bundle.Bundle {
	return parsed(edit(delta, func(m fields) { m[8] = editFields(m[8], f) }))
}

// entry is a revocation entry (SPEC.md §13.6) given by its bytes.
type entry [bundlewire.HashSize]byte

// withSerials returns b with its revoked serials replaced by the entries
// given, in ascending order.
func withSerials(b *bundle.Bundle, es ...entry) *bundle.Bundle {
	var list []byte
	for i, e := range es {
		if i > 0 && bytes.Compare(es[i-1][:], e[:]) >= 0 {
			panic("gen: withSerials: entries not ascending")
		}
		list = append(list, e[:]...)
	}
	return parsed(edit(b, func(m fields) { m[6] = enc(list) }))
}

// parsed returns the bundle of payload p, which must be well formed.
func parsed(p []byte) *bundle.Bundle {
	b, err := bundle.ParsePayload(p)
	must(err)
	return b
}

// bytesOf decodes a CBOR byte string.
func bytesOf(r cbor.RawMessage) []byte {
	var b []byte
	must(cbor.Unmarshal(r, &b))
	return b
}

// keyIndex returns the index of the key pub in b.Keys.
func keyIndex(b *bundle.Bundle, pub ed25519.PublicKey) int {
	i := slices.IndexFunc(b.Keys, func(k bundle.Key) bool { return bytes.Equal(k.Public, pub) })
	if i < 0 {
		panic("gen: key not in bundle")
	}
	return i
}
