package gen

import (
	"golang.org/x/crypto/argon2"
)

// claimCases returns the vectors of one part of SPEC.md: claims (SPEC.md §4, §8 step 6). Each payload is correctly signed.
func claimCases() (vs []vector) {
	claimCase := func(name, desc, verdict string, mk func(c claims) []byte) {
		vs = append(vs, claimVector(name, desc, verdict, mk))
	}
	for _, m := range []struct {
		name string
		key  []byte
		desc string
	}{
		{"exp", keyExp, "exp (4)"},
		{"iat", keyIat, "iat (6)"},
		{"cti", keyCti, "the serial, cti (7)"},
		{"offcode", keyOffcode, "the offcode claim (-65537)"},
	} {
		claimCase("missing_claim_"+m.name, "The claims map lacks "+m.desc+": missing claim.", "missing_claim",
			func(c claims) []byte { return c.top(c.offcode().canonical()).without(m.key).canonical() })
	}
	for _, m := range []struct {
		name string
		key  []byte
		desc string
	}{
		{"colour", keyColour, "the colour (1)"},
		{"kind", keyKind, "the kind (2)"},
		{"identity", keyIdentity, "the identity hash (3)"},
	} {
		claimCase("missing_claim_"+m.name, "The offcode claim (-65537) lacks "+m.desc+": missing claim.", "missing_claim",
			func(c claims) []byte { return c.top(c.offcode().without(m.key).canonical()).canonical() })
	}
	claimCase("unknown_claim_top_level", "The claims map also carries iss (1) = \"offcode test issuer 1\", a claim offcode does not define. "+
		"Unknown claims are refused: unknown claim.", "unknown_claim",
		func(c claims) []byte {
			return c.top(c.offcode().canonical()).with(u(1), ts("offcode test issuer 1")).canonical()
		})
	claimCase("unknown_claim_offcode_member", "The offcode claim (-65537) also carries member 4 = 0, which offcode does not define: unknown claim.",
		"unknown_claim", func(c claims) []byte { return c.top(c.offcode().with(u(4), u(0)).canonical()).canonical() })
	claimCase("bad_claim_payload_not_map", "The payload is an array of the four claim values [exp, iat, cti, {...}] instead of a map: bad claim.", "bad_claim",
		func(c claims) []byte {
			top := c.top(c.offcode().canonical()).sorted()
			return array(top[0].v, top[1].v, top[2].v, top[3].v)
		})
	claimCase("bad_claim_offcode_not_map", "The offcode claim (-65537) is the array [colour, kind, identity] instead of a map: bad claim.", "bad_claim",
		func(c claims) []byte {
			return c.top(array(u(c.colour), u(c.kind), c.identity())).canonical()
		})
	return append(vs, claimValueCases()...)
}

// claimVector returns the vector named name of a payload mk makes from the
// base claims, correctly signed by test key 1, expected to fail decoding
// with verdict.
func claimVector(name, desc, verdict string, mk func(c claims) []byte) vector {
	v := build(name, desc)
	v.code(Key(1), mk(base(name)))
	return v.expect(decodeFails(verdict))
}

// claimValueCases returns the vectors of one part of SPEC.md: claim values
// of the wrong type or out of range (SPEC.md §4.1, §8 step 6).
func claimValueCases() (vs []vector) {
	claimCase := func(name, desc, verdict string, mk func(c claims) []byte) {
		vs = append(vs, claimVector(name, desc, verdict, mk))
	}
	claimCase("bad_claim_exp_equals_iat", "exp equals iat: the window is empty: bad claim.", "bad_claim",
		func(c claims) []byte { c.exp = c.iat; return c.payload() })
	claimCase("bad_claim_exp_before_iat", "exp is one second before iat: bad claim.", "bad_claim",
		func(c claims) []byte { c.exp = c.iat - 1; return c.payload() })
	claimCase("bad_claim_colour_out_of_range", "The colour is 3; only 0 (green), 1 (yellow) and 2 (red) exist: bad claim.", "bad_claim",
		func(c claims) []byte { c.colour = 3; return c.payload() })
	claimCase("bad_claim_kind_out_of_range", "The kind is 2; only 0 (personal) and 1 (kin) exist: bad claim.", "bad_claim",
		func(c claims) []byte { c.kind = 2; return c.payload() })
	claimCase("bad_claim_colour_text", "The colour is the text \"green\" instead of the integer 0: bad claim.", "bad_claim",
		func(c claims) []byte { return c.top(c.offcode().with(keyColour, ts("green")).canonical()).canonical() })
	claimCase("bad_claim_exp_null", "exp is null instead of an unsigned integer (SPEC.md §3.5 rule 7): bad claim.", "bad_claim",
		func(c claims) []byte { return c.top(c.offcode().canonical()).with(keyExp, null).canonical() })
	claimCase("bad_claim_colour_null", "The colour is null instead of an unsigned integer (SPEC.md §3.5 rule 7): bad claim.", "bad_claim",
		func(c claims) []byte { return c.top(c.offcode().with(keyColour, null).canonical()).canonical() })
	claimCase("bad_claim_offcode_null", "The offcode claim (-65537) is null instead of a map (SPEC.md §3.5 rule 7): bad claim.", "bad_claim",
		func(c claims) []byte { return c.top(null).canonical() })
	claimCase("bad_claim_iat_negative", "iat is -1, a negative integer where an unsigned one is required: bad claim.", "bad_claim",
		func(c claims) []byte { return c.top(c.offcode().canonical()).with(keyIat, integer(-1)).canonical() })
	claimCase("bad_claim_tagged_iat", "iat carries the epoch-date tag 1: 1(1793433600). RFC 8392 NumericDate is untagged; "+
		"a tag inside the payload is a value of the wrong type (SPEC.md §3.5 rule 4, §4.1): bad claim.", "bad_claim",
		func(c claims) []byte {
			return c.top(c.offcode().canonical()).with(keyIat, tag(1, u(uint64(c.iat)))).canonical()
		})
	claimCase("bad_claim_exp_out_of_range", "exp is 253402300800, one second after 9999-12-31T23:59:59Z, the largest NumericDate allowed; "+
		"iat is one hour earlier: bad claim.", "bad_claim",
		func(c claims) []byte { c.exp = 253402300800; c.iat = c.exp - 3600; return c.payload() })
	claimCase("bad_claim_serial_wrong_length", "The serial (cti) is 11 bytes instead of 12: bad claim.", "bad_claim",
		func(c claims) []byte { c.serial = c.serial[:11]; return c.payload() })
	claimCase("bad_claim_serial_text", "The serial (cti) is a 12-character text string instead of a byte string: bad claim.", "bad_claim",
		func(c claims) []byte {
			return c.top(c.offcode().canonical()).with(keyCti, ts("SN0000000001")).canonical()
		})
	claimCase("bad_claim_salt_wrong_length", "The identity salt is 15 bytes instead of 16: bad claim.", "bad_claim",
		func(c claims) []byte { c.salt = c.salt[:15]; return c.payload() })
	claimCase("bad_claim_identity_version_1", "The identity hash version is 1, the 128-bit digest of earlier drafts, which SPEC.md §5.2 "+
		"no longer accepts (the digest is 20 bits, version 2); the 3-byte digest is otherwise valid: bad claim.", "bad_claim",
		func(c claims) []byte { c.version = 1; return c.payload() })
	claimCase("bad_claim_identity_version_3", "The identity hash version is 3, which this version of offcode does not define: bad claim.", "bad_claim",
		func(c claims) []byte { c.version = 3; return c.payload() })
	claimCase("bad_claim_sum_low_bits_set", "The identity digest's last 4 bits, beyond its 20, are not zero (SPEC.md §4.1): bad claim.", "bad_claim",
		func(c claims) []byte { c.sum = append(c.sum[:2:2], c.sum[2]|0x01); return c.payload() })
	claimCase("bad_claim_sum_16_bytes", "The identity digest is the full 16-byte Argon2id output, as version 1 carried it, under version 2: "+
		"a code carries only 20 bits (SPEC.md §5.2): bad claim.", "bad_claim",
		func(c claims) []byte {
			c.sum = argon2.IDKey([]byte(personA.id), c.salt, 2, 4096, 1, 16)
			return c.payload()
		})
	claimCase("bad_claim_identity_array_short", "The identity array is [version, salt], without the hash: bad claim.", "bad_claim",
		func(c claims) []byte {
			return c.top(c.offcode().with(keyIdentity, array(u(c.version), bs(c.salt))).canonical()).canonical()
		})
	return vs
}
