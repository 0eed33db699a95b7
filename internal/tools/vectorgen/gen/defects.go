package gen

import "strings"

// Single defects whose verdict SPEC.md §3.5 rules 7-9 and §8.4 fix: values
// of the wrong CBOR type that a general-purpose decoder would convert, keys
// of unusual types, and the limits of rule 5. Each is one departure from a
// valid, correctly signed code.

// Simple values and a float, as encoded (RFC 8949 §3.3).
var (
	cborTrue      = []byte{0xf5}
	cborUndefined = []byte{0xf7}
	simple0       = []byte{0xe0}
	simple255     = []byte{0xf8, 0xff}
	float15       = []byte{0xf9, 0x3e, 0x00} // 1.5, half precision
	emptyArray    = []byte{0x80}
)

// nested returns levels arrays, each the only element of the one around it,
// the innermost empty: nested(1) is [].
func nested(levels int) []byte {
	b := emptyArray
	for i := 1; i < levels; i++ {
		b = array(b)
	}
	return b
}

func defectCases() []vector {
	return append(append(defectValueCases(), defectKeyCases()...), defectHeaderCases()...)
}

// signedClaims is a vector whose payload mk makes from the usual claims,
// correctly signed by test key 1, refused while decoding with verdict.
func signedClaims(name, desc, verdict string, mk func(c claims) []byte) vector {
	v := build(name, desc)
	v.code(Key(1), mk(base(name)))
	return v.expect(decodeFails(verdict))
}

// topWith sets top-level claim k to val.
func topWith(k, val []byte) func(c claims) []byte {
	return func(c claims) []byte { return c.top(c.offcode().canonical()).with(k, val).canonical() }
}

// offcodeWith sets member k of the offcode claim to val.
func offcodeWith(k, val []byte) func(c claims) []byte {
	return func(c claims) []byte { return c.top(c.offcode().with(k, val).canonical()).canonical() }
}

// identityWith sets element i of the identity array to val.
func identityWith(i int, val []byte) func(c claims) []byte {
	return func(c claims) []byte {
		el := [][]byte{u(c.version), bs(c.salt), bs(c.sum)}
		el[i] = val
		return c.top(c.offcode().with(keyIdentity, array(el...)).canonical()).canonical()
	}
}

// defectValueCases are payload values of the wrong type (SPEC.md §3.5
// rules 7-8, §8 step 6.2).
func defectValueCases() (vs []vector) {
	claimCase := func(name, desc, verdict string, mk func(c claims) []byte) {
		vs = append(vs, signedClaims(name, desc, verdict, mk))
	}
	const notConverted = " A decoder must not convert it to the integer or byte string the claim needs (SPEC.md §3.5 rule 7): bad claim."
	claimCase("bad_claim_iat_null", "iat is null."+notConverted, "bad_claim", topWith(keyIat, null))
	claimCase("bad_claim_iat_true", "iat is true."+notConverted, "bad_claim", topWith(keyIat, cborTrue))
	claimCase("bad_claim_iat_simple_0", "iat is simple(0), the one-byte simple value e0."+notConverted, "bad_claim", topWith(keyIat, simple0))
	claimCase("bad_claim_iat_simple_255", "iat is simple(255), encoded f8 ff."+notConverted, "bad_claim", topWith(keyIat, simple255))
	claimCase("bad_claim_iat_float", "iat is the half-precision float 1.5 (f9 3e00)."+notConverted, "bad_claim", topWith(keyIat, float15))
	claimCase("bad_claim_iat_empty_array", "iat is the empty array []."+notConverted, "bad_claim", topWith(keyIat, emptyArray))
	claimCase("bad_claim_colour_undefined", "The colour is undefined (f7)."+notConverted, "bad_claim", offcodeWith(keyColour, cborUndefined))
	claimCase("bad_claim_serial_empty_array", "The serial (cti) is the empty array [] instead of a byte string."+notConverted, "bad_claim", topWith(keyCti, emptyArray))
	claimCase("bad_claim_serial_null", "The serial (cti) is null instead of a byte string."+notConverted, "bad_claim", topWith(keyCti, null))
	claimCase("bad_claim_salt_empty_array", "The identity salt is the empty array [] instead of a byte string."+notConverted, "bad_claim", identityWith(1, emptyArray))
	claimCase("bad_claim_sum_simple_0", "The identity hash's sum is simple(0) instead of a byte string."+notConverted, "bad_claim", identityWith(2, simple0))
	claimCase("bad_claim_version_null", "The identity hash version is null instead of an unsigned integer."+notConverted, "bad_claim", identityWith(0, null))
	return vs
}

// defectKeyCases are payload keys of other types (SPEC.md §3.5 rule 9, §8
// step 6.3), keys equal by value (rule 3) and the limits of rule 5.
func defectKeyCases() (vs []vector) {
	k1 := Key(1)
	add := func(v vector) { vs = append(vs, v) }
	claimCase := func(name, desc, verdict string, mk func(c claims) []byte) {
		vs = append(vs, signedClaims(name, desc, verdict, mk))
	}
	const unknownKey = " A key is known only if it is one of the integers of SPEC.md §4.1, compared by value; any other key, whatever its type, is an unknown claim (§3.5 rule 9)."
	claimCase("unknown_claim_bstr_key", "The claims map also carries the byte-string key h'04' (not the integer 4) with value 0."+unknownKey,
		"unknown_claim", topWith(bs([]byte{4}), u(0)))
	claimCase("unknown_claim_array_key", "The claims map also carries the key [4] (an array) with value 0."+unknownKey,
		"unknown_claim", topWith(array(u(4)), u(0)))
	claimCase("unknown_claim_int_beyond_64_bits", "The claims map also carries the key -18446744073709551616 (3b ffffffffffffffff, -2^64), "+
		"an integer that does not fit in 64 signed bits, with value 0."+unknownKey,
		"unknown_claim", topWith([]byte{0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, u(0)))
	claimCase("unknown_claim_tagged_key", "The offcode claim also carries the key 1(4), the integer 4 under tag 1, with value 0."+unknownKey,
		"unknown_claim", offcodeWith(tag(1, u(4)), u(0)))

	// Duplicate keys are equal by value (SPEC.md §3.5 rule 3).
	claimCase("duplicate_key_by_value", "The claims map holds iat twice, once as 06 and once as 18 06 (the same key 6 with a longer head), "+
		"with the same value. Keys are compared by value, so this is a duplicate key, not a non-canonical encoding (SPEC.md §3.5 rule 3).",
		"duplicate_key", func(c claims) []byte {
			es := c.top(c.offcode().canonical()).sorted()
			es = append(es[:2:2], append(entries{{headW(majorUint, 6, 1), u(uint64(c.iat))}}, es[2:]...)...)
			return es.encode()
		})

	// Limits (SPEC.md §3.5 rule 5).
	claimCase("bad_claim_nested_16_levels", "iat is 15 nested arrays, [[[…[]…]]]: with the claims map at level 1 the innermost array is at "+
		"level 16, the deepest allowed, so the item decodes, and iat has the wrong type: bad claim.", "bad_claim", topWith(keyIat, nested(15)))
	claimCase("malformed_nested_17_levels", "iat is 16 nested arrays: the innermost array is at level 17, one more than SPEC.md §3.5 rule 5 "+
		"allows. The limit is checked while reading, before any type: malformed.", "malformed", topWith(keyIat, nested(16)))
	sixteen := make([][]byte, 16)
	for i := range sixteen {
		sixteen[i] = u(0)
	}
	claimCase("unknown_claim_array_16_elements", "The claims map also carries key 8 with an array of 16 zeros, the most elements allowed: "+
		"the item decodes, and key 8 is an unknown claim.", "unknown_claim", topWith(u(8), array(sixteen...)))
	claimCase("malformed_array_17_elements", "The claims map also carries key 8 with an array of 17 zeros, one more element than "+
		"SPEC.md §3.5 rule 5 allows: malformed (the limit is checked while reading, before keys).", "malformed",
		topWith(u(8), array(append(sixteen, u(0))...)))
	{
		// Invalid UTF-8 is not diagnosable, so the payload has no diag.
		v := build("malformed_invalid_utf8", "The claims map also carries key 8 with a text string holding the byte ff, which is not UTF-8. "+
			"Text strings must be valid UTF-8 wherever they are (SPEC.md §3.5 rule 5): malformed, before the unknown key is seen.")
		c := base(v.name)
		v.code(k1, c.top(c.offcode().canonical()).with(u(8), []byte{0x61, 0xff}).canonical())
		v.payloadNotCBOR = true
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_simple_two_byte", "The claims map also carries key 8 with the value f8 00, simple value 0 in two bytes, "+
			"which RFC 8949 §3.3 makes not well-formed: malformed (not an unknown claim).")
		c := base(v.name)
		v.code(k1, c.top(c.offcode().canonical()).with(u(8), []byte{0xf8, 0x00}).canonical())
		v.payloadNotCBOR = true
		add(v.expect(decodeFails("malformed")))
	}
	return vs
}

// defectHeaderCases are header values and labels (SPEC.md §8 steps 3.6,
// 4.2, 5.1), envelope members of the wrong type, tag heads that are not
// well-formed, and a text with a line feed.
func defectHeaderCases() (vs []vector) {
	k1 := Key(1)
	kid1 := kidOf(pubOf(k1))
	add := func(v vector) { vs = append(vs, v) }
	headerCase := func(name, desc, verdict string, prot, unprot []byte) {
		add(headerVector(name, desc, verdict, prot, unprot))
	}
	withAlg := func(alg []byte) []byte { return entries{{u(1), alg}, {u(4), bs(kid1)}}.encode() }
	withKid := func(kid []byte) []byte { return entries{{u(1), integer(-8)}, {u(4), kid}}.encode() }
	headerCase("unsupported_alg_null", "The protected header's alg is null: not an integer (SPEC.md §3.5 rule 8): unsupported algorithm.",
		"unsupported_alg", withAlg(null), emptyMap)
	headerCase("unsupported_alg_true", "The protected header's alg is true: not an integer: unsupported algorithm.",
		"unsupported_alg", withAlg(cborTrue), emptyMap)
	headerCase("unsupported_alg_bignum", "The protected header's alg is the bignum 3(h'07'), which is -8 by value but a tagged item, "+
		"so a value of the wrong type (SPEC.md §3.5 rules 4 and 8): unsupported algorithm.",
		"unsupported_alg", withAlg(tag(3, bs([]byte{7}))), emptyMap)
	headerCase("bad_header_kid_empty_array", "The protected header's kid is the empty array []: not a byte string (SPEC.md §3.5 rule 8): bad header.",
		"bad_header", withKid(emptyArray), emptyMap)
	headerCase("bad_header_kid_simple_0", "The protected header's kid is simple(0): not a byte string: bad header.",
		"bad_header", withKid(simple0), emptyMap)
	headerCase("bad_header_kid_tagged", "The protected header's kid is the right 8 bytes under tag 24: 24(h'…'). A tagged kid is "+
		"a value of the wrong type (SPEC.md §3.5 rule 4): bad header.", "bad_header", withKid(tag(24, bs(kid1))), emptyMap)
	headerCase("bad_header_protected_bstr_label", "The protected header also carries the byte-string label h'03' with value 0: "+
		"a label other than the integers 1 and 4 (SPEC.md §3.5 rule 9): bad header.",
		"bad_header", entries{{u(1), integer(-8)}, {u(4), bs(kid1)}, {bs([]byte{3}), u(0)}}.encode(), emptyMap)
	headerCase("bad_header_unprotected_kid_text", "The unprotected header is {4: \"text\"}: a kid label in the unprotected header, "+
		"whatever its value (SPEC.md §8 step 5.1): bad header.", "bad_header", protected(kid1), entries{{u(4), ts("text")}}.encode())
	headerCase("bad_header_unprotected_kid_null", "The unprotected header is {4: null}: a kid label in the unprotected header, "+
		"whatever its value (SPEC.md §8 step 5.1): bad header.", "bad_header", protected(kid1), entries{{u(4), null}}.encode())
	headerCase("bad_header_unprotected_bstr_label", "The unprotected header is {h'04': 0}: a label other than 4, of whatever type "+
		"(SPEC.md §8 step 3.6): bad header.", "bad_header", protected(kid1), entries{{bs([]byte{4}), u(0)}}.encode())

	// Envelope members of the wrong type (SPEC.md §8 step 3.5).
	{
		v := build("malformed_protected_array", "The protected header member of COSE_Sign1 is an array holding the header map, "+
			"[{1: -8, 4: kid}], instead of a byte string (SPEC.md §8 step 3.5): malformed.")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(sign1(array(protected(kid1)), emptyMap, bs(p), bs(signWith(k1, protected(kid1), p))))
		add(v.expect(decodeFails("malformed")))
	}
	{
		v := build("malformed_payload_array", "The payload member of COSE_Sign1 is an array holding the claims map, [{…}], "+
			"instead of a byte string (SPEC.md §8 step 3.5): malformed.")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(sign1(bs(protected(kid1)), emptyMap, array(p), bs(signWith(k1, protected(kid1), p))))
		add(v.expect(decodeFails("malformed")))
	}

	// A first byte dc-df is major type 6 with a head that is not well-formed
	// (SPEC.md §8 step 3.2).
	for _, c := range []struct {
		name string
		b    byte
	}{{"malformed_tag_reserved_dc", 0xdc}, {"malformed_tag_indefinite_df", 0xdf}} {
		v := build(c.name, "The message begins with the byte "+strings.ToLower(hexByte(c.b))+
			" (major type 6 with additional information "+map[byte]string{0xdc: "28, reserved", 0xdf: "31, which no tag may have"}[c.b]+
			") followed by a valid COSE_Sign1 array. It is a tag head that is not well-formed, so not a wrong tag: malformed.")
		p := base(c.name).payload()
		cose := signed(k1, p)
		v.payload = p
		v.envelope(append([]byte{c.b}, cose[1:]...))
		add(v.expect(decodeFails("malformed")))
	}

	{
		v := build("malformed_inner_tag_reserved_dd", "Tag 18 is followed by the byte dd (major type 6 with the reserved additional "+
			"information 29) and then a valid COSE_Sign1 array. A head that is not well-formed is not a second tag (SPEC.md §8 step 3.3): malformed.")
		p := base(v.name).payload()
		cose := signed(k1, p)
		v.payload = p
		v.envelope(append([]byte{0xd2, 0xdd}, cose[1:]...))
		add(v.expect(decodeFails("malformed")))
	}

	// SPEC.md §6: the verification algorithm takes the text as given.
	{
		v := build("bad_base45_trailing_newline", "A valid code's text followed by a line feed, as a keyboard-wedge scanner types it. "+
			"A reader may strip it before verification (SPEC.md §6); the algorithm does not: a line feed is not a Base45 character: bad Base45.")
		v.code(k1, base(v.name).payload())
		v.text += "\n"
		add(v.expect(decodeFails("bad_base45")))
	}
	return vs
}

func hexByte(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}
