package gen

import ()

// strictCases returns the vectors of one part of SPEC.md: trailing bytes, indefinite lengths, duplicate keys (SPEC.md §3.5).
func strictCases() (vs []vector) {
	k1 := Key(1)
	kid1 := kidOf(pubOf(k1))
	add := func(v vector) { vs = append(vs, v) }
	// A conforming envelope around payload, with the members given as
	// encoded items, for the cases that change one of them.
	envelopeOf := func(payload []byte) (prot, sig []byte) {
		prot = protected(kid1)
		return prot, signWith(k1, prot, payload)
	}
	{
		v := build("trailing_bytes_cose", "A valid COSE_Sign1 message followed by one zero byte: trailing bytes.")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(append(signed(k1, p), 0x00))
		add(v.expect(decodeFails("trailing_bytes")))
	}
	{
		v := build("trailing_bytes_payload", "The payload is a valid claims map followed by one zero byte (a CBOR sequence of two items), "+
			"correctly signed: trailing bytes.")
		v.code(k1, append(base(v.name).payload(), 0x00))
		add(v.expect(decodeFails("trailing_bytes")))
	}
	{
		v := build("indefinite_length_payload_map", "The claims map is encoded with indefinite length (0xbf ... 0xff), "+
			"keys in canonical order, correctly signed: indefinite length.")
		c := base(v.name)
		v.code(k1, c.top(c.offcode().canonical()).sorted().encodeIndef())
		add(v.expect(decodeFails("indefinite_length")))
	}
	{
		v := build("indefinite_length_identity_array", "The identity array [version, salt, sum] is encoded with indefinite length "+
			"(0x9f ... 0xff), correctly signed: indefinite length.")
		c := base(v.name)
		hc := entries{{keyColour, u(c.colour)}, {keyKind, u(c.kind)}, {keyIdentity, indefArray(u(c.version), bs(c.salt), bs(c.sum))}}
		v.code(k1, c.top(hc.canonical()).canonical())
		add(v.expect(decodeFails("indefinite_length")))
	}
	{
		v := build("indefinite_length_envelope_array", "The COSE_Sign1 array is encoded with indefinite length (0x9f ... 0xff) "+
			"around a valid payload and signature: indefinite length.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		v.payload = p
		v.envelope(tag(18, indefArray(bs(prot), emptyMap, bs(p), bs(sig))))
		add(v.expect(decodeFails("indefinite_length")))
	}
	{
		v := build("indefinite_length_payload_bstr", "The payload member is an indefinite-length byte string of two chunks "+
			"(0x5f ... 0xff) whose concatenation is the valid, signed payload: indefinite length.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		chunked := cat([]byte{0x5f}, bs(p[:len(p)/2]), bs(p[len(p)/2:]), []byte{0xff})
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, chunked, bs(sig)))
		add(v.expect(decodeFails("indefinite_length")))
	}
	{
		v := build("duplicate_key_payload", "The claims map holds iat (6) twice with the same value, keys otherwise in canonical order, "+
			"correctly signed: duplicate key.")
		c := base(v.name)
		top := c.top(c.offcode().canonical()).sorted()
		dup := entries{top[0], top[1], top[1], top[2], top[3]}
		v.code(k1, dup.encode())
		add(v.expect(decodeFails("duplicate_key")))
	}
	{
		v := build("duplicate_key_offcode_claim", "The offcode claim map (-65537) holds the colour (1) twice, first green then red, "+
			"correctly signed: duplicate key.")
		c := base(v.name)
		hc := c.offcode()
		dup := entries{hc[0], {keyColour, u(2)}, hc[1], hc[2]}
		v.code(k1, c.top(dup.encode()).canonical())
		add(v.expect(decodeFails("duplicate_key")))
	}
	{
		v := build("duplicate_key_protected_header", "The protected header holds alg (1) twice: {1: -8, 1: -8, 4: kid}; "+
			"the signature is over these bytes: duplicate key.")
		p := base(v.name).payload()
		prot := entries{{u(1), integer(-8)}, {u(1), integer(-8)}, {u(4), bs(kid1)}}.encode()
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(signWith(k1, prot, p))))
		add(v.expect(decodeFails("duplicate_key")))
	}
	return vs
}

// deterministicCases returns the vectors of one part of SPEC.md: deterministic encoding (SPEC.md §3.5 rule 6, RFC 8949 §4.2.1).
func deterministicCases() (vs []vector) {
	k1 := Key(1)
	kid1 := kidOf(pubOf(k1))
	add := func(v vector) { vs = append(vs, v) }
	// A conforming envelope around payload, with the members given as
	// encoded items, for the cases that change one of them.
	envelopeOf := func(payload []byte) (prot, sig []byte) {
		prot = protected(kid1)
		return prot, signWith(k1, prot, payload)
	}
	{
		v := build("noncanonical_payload_unsorted_keys", "The claims map has iat (6) before exp (4); every claim is present and valid, "+
			"the payload correctly signed: non-canonical CBOR.")
		c := base(v.name)
		top := c.top(c.offcode().canonical()).sorted()
		v.code(k1, entries{top[1], top[0], top[2], top[3]}.encode())
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_payload_nonminimal_integer", "iat is encoded with an 8-byte argument (0x1b) where 4 bytes suffice "+
			"(1793433600_3 in diagnostic notation), correctly signed: non-canonical CBOR.")
		c := base(v.name)
		top := c.top(c.offcode().canonical()).with(keyIat, headW(majorUint, uint64(c.iat), 8))
		v.code(k1, top.canonical())
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_payload_nonminimal_length", "The serial (cti) byte string's length 12 is encoded as 0x58 0x0c "+
			"instead of 0x4c, correctly signed: non-canonical CBOR.")
		c := base(v.name)
		top := c.top(c.offcode().canonical()).with(keyCti, cat(headW(majorBytes, 12, 1), c.serial))
		v.code(k1, top.canonical())
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_payload_nonminimal_colour", "Inside the offcode claim, colour 0 is encoded as 0x18 0x00 "+
			"instead of 0x00, correctly signed: non-canonical CBOR.")
		c := base(v.name)
		hc := c.offcode().with(keyColour, headW(majorUint, 0, 1))
		v.code(k1, c.top(hc.canonical()).canonical())
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_protected_header_unsorted", "The protected header is {4: kid, 1: -8}, keys out of order; "+
			"the signature is over these bytes: non-canonical CBOR.")
		p := base(v.name).payload()
		prot := entries{{u(4), bs(kid1)}, {u(1), integer(-8)}}.encode()
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(signWith(k1, prot, p))))
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_protected_header_nonminimal_alg", "The protected header's alg -8 is encoded as 0x38 0x07 "+
			"instead of 0x27; the signature is over these bytes: non-canonical CBOR.")
		p := base(v.name).payload()
		prot := entries{{u(1), headW(majorNint, 7, 1)}, {u(4), bs(kid1)}}.encode()
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(signWith(k1, prot, p))))
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_envelope_nonminimal_length", "The signature byte string's length 64 is encoded as 0x59 0x00 0x40 "+
			"instead of 0x58 0x40; the signature itself is valid: non-canonical CBOR.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), cat(headW(majorBytes, 64, 2), sig)))
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_tag_two_bytes", "Tag 18 is encoded as 0xd8 0x12 instead of the single byte 0xd2; "+
			"the message is otherwise valid: non-canonical CBOR.")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(cat([]byte{0xd8, 0x12}, signed(k1, p)[1:]))
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("noncanonical_tag_three_bytes", "Tag 18 is encoded as 0xd9 0x00 0x12 instead of the single byte 0xd2; "+
			"the message is otherwise valid: non-canonical CBOR (SPEC.md §8.1 step 3.2).")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(cat([]byte{0xd9, 0x00, 0x12}, signed(k1, p)[1:]))
		add(v.expect(decodeFails("noncanonical_cbor")))
	}
	{
		v := build("bad_tag_nested_18", "A valid COSE_Sign1 array under tag 18 twice: 18(18([...])). The message begins "+
			"with 0xd2, but the item inside the tag is a second tag (SPEC.md §8.1 step 3.3): bad tag.")
		p := base(v.name).payload()
		v.payload = p
		v.envelope(tag(18, signed(k1, p)))
		add(v.expect(decodeFails("bad_tag")))
	}
	return vs
}
