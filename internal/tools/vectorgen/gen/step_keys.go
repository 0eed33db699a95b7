package gen

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"time"
)

// keyCases returns the vectors of one part of SPEC.md: trust store and kid (SPEC.md §9, §8 steps 7-9).
func keyCases() (vs []vector) {
	k1 := Key(1)
	kid1 := kidOf(pubOf(k1))
	add := func(v vector) { vs = append(vs, v) }
	{
		v := build("valid_trust_store_several_keys", "The trust store holds three keys with distinct kids; the code's key is the second.")
		v.code(k1, base(v.name).payload())
		v.trust = []jwk{trusted(2), trusted(1), trusted(3)}
		add(v.expect(valid()))
	}
	{
		v := build("valid_several_keys_one_kid", "The trust store files two keys under the code's kid: first test key 2 "+
			"(whose real kid differs), then test key 1, which signed the code. The verifier tries every key under the kid: valid.")
		v.code(k1, base(v.name).payload())
		v.trust = []jwk{trustedAs(2, kid1), trusted(1)}
		add(v.expect(valid()))
	}
	{
		v := build("bad_signature_several_keys_one_kid", "The trust store files two keys under the code's kid, test keys 2 and 3, "+
			"neither of which signed the code: bad signature.")
		v.code(k1, base(v.name).payload())
		v.trust = []jwk{trustedAs(2, kid1), trustedAs(3, kid1)}
		add(v.expect(signatureFails("bad_signature")))
	}
	{
		kid := sha256.Sum256([]byte("offcode test vector kid"))
		v := build("valid_kid_not_recomputed", "The code carries a kid that is not SHA-256(key)[:8], and the trust store files "+
			"the signing key under that same kid. A verifier looks keys up by the kid as written and does not recompute it: valid.")
		p := base(v.name).payload()
		prot := protected(kid[:8])
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(signWith(k1, prot, p))))
		v.trust = []jwk{trustedAs(1, kid[:8])}
		add(v.expect(valid()))
	}
	{
		v := build("unknown_kid", "The trust store holds only test key 2; no key has the code's kid: unknown kid.")
		v.code(k1, base(v.name).payload())
		v.trust = []jwk{trusted(2)}
		add(v.expect(signatureFails("unknown_kid")))
	}
	{
		v := build("unknown_kid_empty_trust_store", "The trust store is an empty JWK Set: unknown kid.")
		v.code(k1, base(v.name).payload())
		v.trust = []jwk{}
		add(v.expect(signatureFails("unknown_kid")))
	}
	{
		v := build("valid_key_period", "The key is valid from 30 days before to 365 days after the code's iat: valid.")
		v.code(k1, base(v.name).payload())
		nbf, exp := iat0.Add(-30*24*time.Hour), iat0.Add(365*24*time.Hour)
		v.trust = []jwk{period(trusted(1), &nbf, &exp)}
		add(v.expect(valid()))
	}
	{
		v := build("valid_key_period_boundaries", "The key's nbf and exp both equal the code's iat. "+
			"The key period is inclusive at both ends (nbf <= iat <= exp): valid.")
		v.code(k1, base(v.name).payload())
		v.trust = []jwk{period(trusted(1), &iat0, &iat0)}
		add(v.expect(valid()))
	}
	{
		v := build("key_not_valid_before_nbf", "The code is correctly signed, but its iat is one second before the key's nbf: key not valid.")
		v.code(k1, base(v.name).payload())
		nbf := iat0.Add(time.Second)
		v.trust = []jwk{period(trusted(1), &nbf, nil)}
		add(v.expect(signatureFails("key_not_valid")))
	}
	{
		v := build("key_not_valid_after_exp", "The code is correctly signed, but its iat is one second after the key's exp "+
			"(a retired key): key not valid.")
		v.code(k1, base(v.name).payload())
		exp := iat0.Add(-time.Second)
		v.trust = []jwk{period(trusted(1), nil, &exp)}
		add(v.expect(signatureFails("key_not_valid")))
	}
	return vs
}

// signatureCases returns the vectors of one part of SPEC.md: signatures (SPEC.md §3.4, §8 step 8).
func signatureCases() (vs []vector, err error) {
	k1, k2 := Key(1), Key(2)
	kid1 := kidOf(pubOf(k1))
	add := func(v vector) { vs = append(vs, v) }
	// A conforming envelope around payload, with the members given as
	// encoded items, for the cases that change one of them.
	envelopeOf := func(payload []byte) (prot, sig []byte) {
		prot = protected(kid1)
		return prot, signWith(k1, prot, payload)
	}
	{
		v := build("bad_signature_flipped_bit", "The lowest bit of S (signature byte 32) is flipped; S stays below L: bad signature.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		sig[32] ^= 1
		if leToInt(sig[32:]).Cmp(orderL) >= 0 {
			return nil, fmt.Errorf("gen: %s: S not canonical", v.name)
		}
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(sig)))
		add(v.expect(signatureFails("bad_signature")))
	}
	{
		v := build("bad_signature_payload_changed", "The code was signed as green and its colour then changed to red (claim -65537/1 = 2). "+
			"The payload is well-formed but the signature does not cover it: bad signature.")
		c := base(v.name)
		_, sig := envelopeOf(c.payload())
		c.colour = 2
		p := c.payload()
		v.payload = p
		v.envelope(sign1(bs(protected(kid1)), emptyMap, bs(p), bs(sig)))
		add(v.expect(signatureFails("bad_signature")))
	}
	{
		v := build("bad_signature_other_key", "The protected header carries test key 1's kid but test key 2 signed: bad signature.")
		p := base(v.name).payload()
		prot := protected(kid1)
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(signWith(k2, prot, p))))
		add(v.expect(signatureFails("bad_signature")))
	}
	{
		v := build("bad_signature_small_order_r", "R is a point of order 8 (canonical encoding c7176a70...ac037a), S is taken from a real signature. "+
			"A verifier rejects R of small order without evaluating the equation: bad signature.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		copy(sig[:32], []byte{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
			0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a})
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(sig)))
		add(v.expect(signatureFails("bad_signature")))
	}
	{
		v := build("bad_signature_noncanonical_r", "R is the non-canonical encoding of the identity point (y = p + 1: ee ff .. ff 7f), "+
			"S is taken from a real signature. A non-canonical R never verifies: bad signature.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		sig[0] = 0xee
		for i := 1; i < 31; i++ {
			sig[i] = 0xff
		}
		sig[31] = 0x7f
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(sig)))
		add(v.expect(signatureFails("bad_signature")))
	}
	{
		v := build("noncanonical_signature_s_plus_l", "A valid signature with L added to S (R unchanged). S + L satisfies the "+
			"verification equation as well, but S >= L is refused: non-canonical signature.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		s := new(big.Int).Add(leToInt(sig[32:]), orderL)
		if s.BitLen() > 256 {
			return nil, fmt.Errorf("gen: %s: S + L does not fit", v.name)
		}
		copy(sig[32:], intToLE(s))
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(sig)))
		add(v.expect(signatureFails("noncanonical_signature")))
	}
	{
		v := build("noncanonical_signature_s_equals_l", "S is exactly L (the boundary: S must be strictly below L), R from a real signature: "+
			"non-canonical signature.")
		p := base(v.name).payload()
		prot, sig := envelopeOf(p)
		copy(sig[32:], intToLE(orderL))
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(sig)))
		add(v.expect(signatureFails("noncanonical_signature")))
	}
	return vs, nil
}
