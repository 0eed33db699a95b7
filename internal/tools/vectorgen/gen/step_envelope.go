package gen

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
)

// envelopeCases returns the vectors of one part of SPEC.md: envelope structure (SPEC.md §3, §8 steps 3-5).
func envelopeCases() (vs []vector, err error) {
	k1 := Key(1)
	kid1 := kidOf(pubOf(k1))
	add := func(v vector) { vs = append(vs, v) }
	{
		v := build("malformed_truncated_text", "A valid code's text cut after 99 Base45 characters, as a partial scan: "+
			"the COSE_Sign1 bytes it carries (cose_hex) are the first 66 bytes of the message, which ends inside the payload: malformed.")
		v.code(k1, base(v.name).payload())
		full := v.text
		v.envelope(v.cose[:66])
		if v.text != full[:len(Prefix)+99] {
			return nil, fmt.Errorf("gen: %s: cut text does not encode the cut message", v.name)
		}
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_truncated_cose", "A valid COSE_Sign1 message with its signature member cut off "+
			"(the array says 4 items, 3 follow): malformed.")
		p := base(v.name).payload()
		cose := signed(k1, p)
		v.payload = p
		v.envelope(cose[:len(cose)-66])
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_empty", "The prefix alone: the COSE_Sign1 message is empty: malformed.")
		v.text = Prefix
		add(v.expect(decodeFails("malformed")))
	}
	return append(vs, memberCases(k1, kid1)...), nil
}

// memberCases returns the vectors of one part of SPEC.md: the members of the
// COSE_Sign1 array, their count and types (SPEC.md §3, §8 step 4).
func memberCases(k1 ed25519.PrivateKey, kid1 []byte) (vs []vector) {
	add := func(v vector) { vs = append(vs, v) }
	// A conforming envelope around payload, with the members given as
	// encoded items, for the cases that change one of them.
	envelopeOf := func(payload []byte) (prot, sig []byte) {
		prot = protected(kid1)
		return prot, signWith(k1, prot, payload)
	}
	{
		v := build("malformed_signature_63_bytes", "The signature member is 63 bytes (the last byte of a real signature dropped); "+
			"an Ed25519 signature is exactly 64: malformed.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(sig[:63])))
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_array_of_three", "The tagged array has 3 members, protected, unprotected and payload, "+
			"and no signature: malformed.")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(tag(18, array(bs(protected(kid1)), emptyMap, bs(p))))
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_array_of_five", "The tagged array has 5 members: a valid message's four and a trailing 0: malformed.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		v.payload = p
		v.envelope(tag(18, array(bs(prot), emptyMap, bs(p), bs(sig), u(0))))
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_payload_empty", "The payload is the empty byte string, correctly signed: there is no CBOR item to decode: malformed.")
		v.code(k1, []byte{})
		v.payloadNotCBOR = true
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_payload_null", "The payload member is null (a detached payload, RFC 9052 §4.1); offcode codes carry "+
			"their payload attached. The signature is over the payload shown: malformed.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, null, bs(sig)))
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_protected_not_bstr", "The protected header is written as a map instead of a byte string "+
			"wrapping the map: malformed.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		v.payload = p
		v.envelope(sign1(prot, emptyMap, bs(p), bs(sig)))
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_unprotected_not_map", "The unprotected header is an empty byte string instead of an empty map: malformed.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		v.payload = p
		v.envelope(sign1(bs(prot), bs(nil), bs(p), bs(sig)))
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_payload_truncated", "The payload is a valid payload with its last byte removed, so it is not "+
			"well-formed CBOR (it has no diagnostic notation); it is correctly signed: malformed.")
		p := base(v.name).payload()
		p = p[:len(p)-1]
		v.code(k1, p)
		v.payloadNotCBOR = true
		add(v.expect(decodeFails("malformed")))
	}
	return vs
}

// tagCases returns the vectors of one part of SPEC.md: tag (SPEC.md §3, §8 step 3).
func tagCases() (vs []vector) {
	k1 := Key(1)
	add := func(v vector) { vs = append(vs, v) }
	tagCase := func(name, desc string, mk func(untagged []byte) []byte) {
		v := build(name, desc)
		p := base(name).payload()
		v.payload = p
		v.envelope(mk(signed(k1, p)[1:]))
		add(v.expect(decodeFails("bad_tag")))
	}
	{
		v := build("bad_tag_zlib", "The text carries a valid COSE_Sign1 message wrapped in a zlib stream (RFC 1950, one stored "+
			"DEFLATE block, first byte 0x78), as an EU DCC is. Codes are never compressed and a verifier must not try "+
			"to decompress (SPEC.md §6.3): bad tag.")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(zlibStored(signed(k1, p)))
		add(v.expect(decodeFails("bad_tag")))
	}
	tagCase("bad_tag_missing", "A valid COSE_Sign1 array without tag 18: bad tag.",
		func(b []byte) []byte { return b })
	tagCase("bad_tag_98", "A valid COSE_Sign1 array under tag 98 (COSE_Sign) instead of 18: bad tag.",
		func(b []byte) []byte { return tag(98, b) })
	tagCase("bad_tag_17", "A valid COSE_Sign1 array under tag 17 (COSE_Mac0) instead of 18: bad tag.",
		func(b []byte) []byte { return tag(17, b) })
	tagCase("bad_tag_cwt_61", "A valid tagged COSE_Sign1 message inside the CWT tag 61 (RFC 8392 §6): 61(18([...])). "+
		"The message must start with tag 18: bad tag.",
		func(b []byte) []byte { return tag(61, tag(18, b)) })
	tagCase("bad_tag_self_describe_55799", "A valid tagged COSE_Sign1 message inside the self-described CBOR tag 55799 "+
		"(RFC 8949 §3.4.6): 55799(18([...])). The message must start with tag 18: bad tag.",
		func(b []byte) []byte { return tag(55799, tag(18, b)) })
	return vs
}

// headerCases returns the vectors of one part of SPEC.md: headers (SPEC.md §3.2, §8 steps 3.6-5.1).
func headerCases() (vs []vector) {
	k1 := Key(1)
	kid1 := kidOf(pubOf(k1))
	add := func(v vector) { vs = append(vs, v) }
	headerCase := func(name, desc, verdict string, prot, unprot []byte) {
		add(headerVector(name, desc, verdict, prot, unprot))
	}
	headerCase("unsupported_alg_es256", "The protected header says alg -7 (ES256); the signature is Ed25519 over these bytes: unsupported algorithm.",
		"unsupported_alg", entries{{u(1), integer(-7)}, {u(4), bs(kid1)}}.encode(), emptyMap)
	headerCase("unsupported_alg_missing", "The protected header is {4: kid}, with no alg: unsupported algorithm.",
		"unsupported_alg", entries{{u(4), bs(kid1)}}.encode(), emptyMap)
	headerCase("unsupported_alg_text", "The protected header's alg is the text \"EdDSA\" instead of the integer -8: unsupported algorithm.",
		"unsupported_alg", entries{{u(1), ts("EdDSA")}, {u(4), bs(kid1)}}.encode(), emptyMap)
	headerCase("missing_kid", "The protected header is {1: -8}, with no kid, and the unprotected header is empty: missing kid.",
		"missing_kid", entries{{u(1), integer(-8)}}.encode(), emptyMap)
	headerCase("missing_kid_unprotected_only", "The kid is in the unprotected header only: protected {1: -8}, unprotected {4: kid}. "+
		"The kid must be protected: missing kid.",
		"missing_kid", entries{{u(1), integer(-8)}}.encode(), entries{{u(4), bs(kid1)}}.encode())
	headerCase("missing_kid_empty_protected", "The protected header is the empty byte string h'' (no alg, no kid); "+
		"the signature is over it (SPEC.md §8.1 step 4.1): missing kid.",
		"missing_kid", nil, emptyMap)
	headerCase("bad_header_protected_not_map", "The protected header wraps the array [-8, kid] instead of a map: bad header.",
		"bad_header", array(integer(-8), bs(kid1)), emptyMap)
	headerCase("bad_header_kid_text", "The protected header's kid is an 8-character text string instead of a byte string: bad header.",
		"bad_header", entries{{u(1), integer(-8)}, {u(4), ts(b64.EncodeToString(kid1)[:8])}}.encode(), emptyMap)
	headerCase("bad_header_kid_null", "The protected header's kid is null instead of a byte string (SPEC.md §3.5 rule 7): bad header.",
		"bad_header", entries{{u(1), integer(-8)}, {u(4), null}}.encode(), emptyMap)
	headerCase("malformed_unprotected_null", "The unprotected header is null instead of the empty map (SPEC.md §3.5 rule 7): malformed.",
		"malformed", protected(kid1), null)
	headerCase("bad_header_kid_in_both", "The kid is in the protected header, as it must be, and repeated in the unprotected header, "+
		"which must be empty: bad header.",
		"bad_header", protected(kid1), entries{{u(4), bs(kid1)}}.encode())
	headerCase("bad_header_unprotected_alg", "The unprotected header is {1: -8} instead of empty: bad header.",
		"bad_header", protected(kid1), entries{{u(1), integer(-8)}}.encode())
	{
		kid16 := sha256.Sum256(pubOf(k1))
		headerCase("bad_header_kid_wrong_length", "The protected header's kid is 16 bytes (SHA-256 of the key cut at 16), not 8: bad header.",
			"bad_header", entries{{u(1), integer(-8)}, {u(4), bs(kid16[:16])}}.encode(), emptyMap)
	}
	headerCase("bad_header_unknown_label", "The protected header also carries content type 61 (label 3, application/cwt): "+
		"{1: -8, 3: 61, 4: kid}. Only labels 1 and 4 are allowed: bad header.",
		"bad_header", entries{{u(1), integer(-8)}, {u(3), u(61)}, {u(4), bs(kid1)}}.encode(), emptyMap)
	return vs
}

// headerVector returns the vector named name of a code whose protected
// header is prot and unprotected header unprot, correctly signed by test
// key 1, expected to fail decoding with verdict.
func headerVector(name, desc, verdict string, prot, unprot []byte) vector {
	v := build(name, desc)
	p := base(name).payload()
	v.payload = p
	v.envelope(sign1(bs(prot), unprot, bs(p), bs(signWith(Key(1), prot, p))))
	return v.expect(decodeFails(verdict))
}
