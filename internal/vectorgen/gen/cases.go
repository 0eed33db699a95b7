package gen

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"
)

// The fixed clock of the vectors.
var (
	// now0 is the validation clock of most vectors.
	now0 = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	// iat0 is the issue time of most codes: one day before now0.
	iat0 = now0.Add(-24 * time.Hour)
	// week is the longest validity window, 604800 s.
	week = 7 * 24 * time.Hour
)

// person is a (synthetic) resident ID number with the identity salt its
// codes carry.
type person struct {
	id   string
	salt []byte
	sum  []byte
}

func newPerson(id string, n int) person {
	s := sha256.Sum256(fmt.Appendf(nil, "offcode test vector salt %d", n))
	return person{id: id, salt: s[:16], sum: identitySum(id, s[:16])}
}

// The people of the vectors. The numbers are synthetic, with correct check
// digits (GB 11643-1999).
var (
	personA = newPerson("110105198503071230", 1) // Beijing, born 1985-03-07
	personB = newPerson("440304200108150028", 2) // Shenzhen, born 2001-08-15
	personC = newPerson("61011319720229002X", 3) // Xi'an, born on 1972-02-29, check digit X
)

// claims are the values of a payload. The identity array is built from
// version, salt and sum.
type claims struct {
	iat, exp     int64
	serial       []byte
	colour, kind uint64
	version      uint64
	salt, sum    []byte
}

// base returns the claims of the usual code of a vector: person A, green,
// personal, issued at iat0 for 7 days, with a serial derived from the
// vector's name.
func base(name string) claims {
	s := sha256.Sum256([]byte("offcode test vector serial " + name))
	return claims{
		iat:     iat0.Unix(),
		exp:     iat0.Add(week).Unix(),
		serial:  s[:12],
		version: identityVersion,
		salt:    personA.salt,
		sum:     personA.sum,
	}
}

func (c claims) forPerson(p person) claims {
	c.salt, c.sum = p.salt, p.sum
	return c
}

func (c claims) issuedAt(t time.Time, window time.Duration) claims {
	c.iat, c.exp = t.Unix(), t.Add(window).Unix()
	return c
}

// Claim keys as encoded.
var (
	keyExp      = u(4)
	keyIat      = u(6)
	keyCti      = u(7)
	keyOffcode  = integer(-65537)
	keyColour   = u(1)
	keyKind     = u(2)
	keyIdentity = u(3)
)

func (c claims) identity() []byte { return array(u(c.version), bs(c.salt), bs(c.sum)) }

// offcode returns the entries of the private claim -65537.
func (c claims) offcode() entries {
	return entries{{keyColour, u(c.colour)}, {keyKind, u(c.kind)}, {keyIdentity, c.identity()}}
}

// top returns the entries of the claims map with hc as claim -65537.
func (c claims) top(hc []byte) entries {
	return entries{
		{keyExp, u(uint64(c.exp))},
		{keyIat, u(uint64(c.iat))},
		{keyCti, bs(c.serial)},
		{keyOffcode, hc},
	}
}

// payload is the canonical payload of c.
func (c claims) payload() []byte { return c.top(c.offcode().canonical()).canonical() }

// build is a vector builder with the usual context: trust store holding test
// key 1, clock now0, skew 300 s.
func build(name, desc string) *vector {
	return &vector{
		name:  name,
		desc:  desc,
		trust: []jwk{trusted(1)},
		now:   now0,
		skew:  DefaultSkew,
	}
}

// code sets the payload, COSE and text stages of a code that is payload as
// signed by key in a conforming envelope.
func (v *vector) code(key ed25519.PrivateKey, payload []byte) *vector {
	v.payload = payload
	return v.envelope(signed(key, payload))
}

// envelope sets the COSE and text stages.
func (v *vector) envelope(cose []byte) *vector {
	v.cose = cose
	v.text = text(cose)
	return v
}

func (v *vector) expect(e expected) vector {
	v.want = e
	return *v
}

// The signature's two halves: R (32 bytes) then S (32 bytes, little-endian).
var orderL, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func leToInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

func intToLE(n *big.Int) []byte {
	be := n.FillBytes(make([]byte, 32))
	le := make([]byte, 32)
	for i := range be {
		le[31-i] = be[i]
	}
	return le
}

func cases() ([]vector, error) {
	k1, k2 := Key(1), Key(2)
	kid1 := kidOf(pubOf(k1))
	var vs []vector
	add := func(v vector) { vs = append(vs, v) }

	// A conforming envelope around payload, with the members given as
	// encoded items, for the cases that change one of them.
	envelopeOf := func(payload []byte) (prot, sig []byte) {
		prot = protected(kid1)
		return prot, signWith(k1, prot, payload)
	}

	// ---- Valid codes: every colour and kind.
	for _, colour := range []string{"green", "yellow", "red"} {
		for _, kind := range []string{"personal", "kin"} {
			name := "valid_" + colour + "_" + kind
			c := base(name)
			c.colour = map[string]uint64{"green": 0, "yellow": 1, "red": 2}[colour]
			c.kind = map[string]uint64{"personal": 0, "kin": 1}[kind]
			add(build(name, fmt.Sprintf("A valid %s code of kind %s (colour %d, kind %d), issued one day before the validation clock for the full 7 days. "+
				"Every step passes; the verdict is valid whatever the colour.", colour, kind, c.colour, c.kind)).
				code(k1, c.payload()).expect(valid()))
		}
	}

	// ---- Identity match (SPEC.md §8 step 11).
	{
		v := build("valid_id_match", "A valid code for person A, presented with person A's ID number: the identity hash matches.")
		v.code(k1, base(v.name).payload())
		v.presented = personA.id
		add(v.expect(withIdentity(valid(), true)))
	}
	{
		v := build("valid_id_match_lower_case_x", "A valid code for a person whose ID number ends in check digit X (and who was born on 29 February), "+
			"presented with a lower-case x. The verifier normalises the number to upper case before hashing, so it matches.")
		v.code(k1, base(v.name).forPerson(personC).payload())
		v.presented = strings.ToLower(personC.id)
		add(v.expect(withIdentity(valid(), true)))
	}
	{
		v := build("id_mismatch", "A valid code for person A, presented with another valid ID number (person B): "+
			"decoding, signature and window pass, the identity hash does not match.")
		v.code(k1, base(v.name).payload())
		v.presented = personB.id
		add(v.expect(withIdentity(valid(), false)))
	}

	// ---- Validity window (SPEC.md §7, §8 step 10).
	exp0 := iat0.Add(week)
	{
		v := build("valid_at_iat", "Validation clock exactly at iat: valid (the window includes iat).")
		v.code(k1, base(v.name).payload())
		v.now = iat0
		add(v.expect(valid()))
	}
	{
		v := build("valid_at_exp", "Validation clock exactly at exp: valid (a code is valid while now <= exp).")
		v.code(k1, base(v.name).payload())
		v.now = exp0
		add(v.expect(valid()))
	}
	{
		v := build("valid_at_exp_fractional_now", "Validation clock 0.999 s after exp. Times are compared in whole seconds, "+
			"the clock truncated, so now = exp and the code is valid.")
		v.code(k1, base(v.name).payload())
		v.now = exp0.Add(999 * time.Millisecond)
		add(v.expect(valid()))
	}
	{
		v := build("expired_by_one_second", "Validation clock one second after exp: expired.")
		v.code(k1, base(v.name).payload())
		v.now = exp0.Add(time.Second)
		add(v.expect(windowFails("expired")))
	}
	{
		v := build("expired_after_7_days_1_minute", "A code issued 7 days and 1 minute before the validation clock, "+
			"for the full 7 days: expired one minute ago.")
		v.code(k1, base(v.name).issuedAt(now0.Add(-week-time.Minute), week).payload())
		add(v.expect(windowFails("expired")))
	}
	{
		v := build("valid_iat_in_future_within_skew", "iat is 60 s after the validation clock (the issuer's clock runs ahead); "+
			"the 300 s skew tolerance covers it: valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(60*time.Second), week).payload())
		add(v.expect(valid()))
	}
	{
		v := build("valid_iat_in_future_at_skew", "iat is exactly 300 s (the skew) after the validation clock: valid "+
			"(not yet valid only when iat > now + skew).")
		v.code(k1, base(v.name).issuedAt(now0.Add(300*time.Second), week).payload())
		add(v.expect(valid()))
	}
	{
		v := build("not_yet_valid_beyond_skew", "iat is 301 s after the validation clock, one second beyond the 300 s skew: not yet valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(301*time.Second), week).payload())
		add(v.expect(windowFails("not_yet_valid")))
	}
	{
		v := build("not_yet_valid_one_hour", "iat is one hour after the validation clock: not yet valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(time.Hour), week).payload())
		add(v.expect(windowFails("not_yet_valid")))
	}
	{
		v := build("not_yet_valid_zero_skew", "The verifier is configured with no skew tolerance (skew_seconds 0) "+
			"and iat is one second after the validation clock: not yet valid.")
		v.code(k1, base(v.name).issuedAt(now0.Add(time.Second), week).payload())
		v.skew = 0
		add(v.expect(windowFails("not_yet_valid")))
	}
	{
		v := build("valid_short_window", "A code valid for one hour (exp = iat + 3600), checked half-way through: valid. "+
			"Issuers may choose any window up to 7 days.")
		v.code(k1, base(v.name).issuedAt(now0.Add(-30*time.Minute), time.Hour).payload())
		add(v.expect(valid()))
	}
	{
		v := build("window_too_long", "exp - iat is 604801 s, one second more than 7 days, in a correctly signed code; "+
			"the clock is inside the window. The code is refused whatever exp says: window too long.")
		v.code(k1, base(v.name).issuedAt(iat0, week+time.Second).payload())
		add(v.expect(windowFails("window_too_long")))
	}

	// ---- Trust store and kid (SPEC.md §9, §8 steps 7-9).
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

	// ---- Signatures (SPEC.md §3.4).
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

	// ---- Text form (SPEC.md §6, §8 steps 1-2).
	{
		// 1026 characters: prefix and 1022 Base45 characters, 681 bytes.
		v := build("too_large", "The text is 1026 characters, more than the 1024 allowed; it is refused before any decoding "+
			"(it would otherwise fail with trailing bytes: a valid code padded with zero bytes to 681 bytes).")
		p := base(v.name).payload()
		cose := signed(k1, p)
		cose = append(cose, make([]byte, 681-len(cose))...)
		v.payload = p
		v.envelope(cose)
		if len(v.text) != 1026 {
			return nil, fmt.Errorf("gen: %s: text is %d characters", v.name, len(v.text))
		}
		add(v.expect(decodeFails("too_large")))
	}
	{
		v := build("trailing_bytes_at_max_size", "The text is exactly 1024 characters, the most allowed, so it is decoded: "+
			"a valid code padded with zero bytes to 680 bytes. Trailing bytes.")
		p := base(v.name).payload()
		cose := signed(k1, p)
		cose = append(cose, make([]byte, 680-len(cose))...)
		v.payload = p
		v.envelope(cose)
		if len(v.text) != 1024 {
			return nil, fmt.Errorf("gen: %s: text is %d characters", v.name, len(v.text))
		}
		add(v.expect(decodeFails("trailing_bytes")))
	}
	prefixCase := func(name, desc string, mk func(body string) string) {
		v := build(name, desc)
		v.code(k1, base(name).payload())
		v.text = mk(base45(v.cose))
		add(v.expect(decodeFails("bad_prefix")))
	}
	prefixCase("bad_prefix_missing", "A valid code's Base45 text without the \"OC1:\" prefix: bad prefix.",
		func(b string) string { return b })
	prefixCase("bad_prefix_hc1", "A valid code's Base45 text behind the EU DCC prefix \"HC1:\": bad prefix.",
		func(b string) string { return "HC1:" + b })
	prefixCase("bad_prefix_lower_case", "A valid code's Base45 text behind \"oc1:\": the prefix is case-sensitive: bad prefix.",
		func(b string) string { return "oc1:" + b })
	prefixCase("bad_prefix_oc2", "A valid code's Base45 text behind \"OC2:\", a future version this verifier does not implement: bad prefix.",
		func(b string) string { return "OC2:" + b })
	prefixCase("bad_prefix_leading_space", "A valid code's text with a space before the prefix: bad prefix.",
		func(b string) string { return " OC1:" + b })

	base45Case := func(name, desc string, mk func(body string) (string, error)) error {
		v := build(name, desc)
		v.code(k1, base(name).payload())
		body, err := mk(base45(v.cose))
		if err != nil {
			return fmt.Errorf("gen: %s: %w", name, err)
		}
		v.text = Prefix + body
		add(v.expect(decodeFails("bad_base45")))
		return nil
	}
	for _, c := range []struct {
		name, desc string
		mk         func(string) (string, error)
	}{
		{"bad_base45_illegal_character", "A valid code's text with its first letter after the prefix in lower case, " +
			"which is not in the Base45 alphabet: bad Base45.", func(b string) (string, error) {
			i := strings.IndexAny(b, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
			if i < 0 {
				return "", fmt.Errorf("no letter")
			}
			return b[:i] + strings.ToLower(b[i:i+1]) + b[i+1:], nil
		}},
		{"bad_base45_length", "A valid code's text with characters appended so that the Base45 length is 1 modulo 3, " +
			"which no byte string encodes to: bad Base45.", func(b string) (string, error) {
			for len(b)%3 != 1 {
				b += "0"
			}
			return b, nil
		}},
		{"bad_base45_group_overflow", "A valid code's text with its first three-character group replaced by \"GGW\", " +
			"which encodes 65536, more than two bytes hold: bad Base45.", func(b string) (string, error) {
			return "GGW" + b[3:], nil
		}},
		{"bad_base45_final_group_overflow", "A valid code's text followed by the two characters \"::\": a final two-character group, as for a " +
			"147th byte, that encodes 2024, more than one byte holds. (A version 1 code has 146 bytes, an even number, so its own text " +
			"has no two-character group; the extra group is the one departure, and cose_hex shows the valid message.) Bad Base45.", func(b string) (string, error) {
			if len(b)%3 != 0 {
				return "", fmt.Errorf("COSE length is odd")
			}
			return b + "::", nil
		}},
	} {
		if err := base45Case(c.name, c.desc, c.mk); err != nil {
			return nil, err
		}
	}

	// ---- Envelope structure (SPEC.md §3, §8 steps 3-5).
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

	// ---- Trailing bytes, indefinite lengths, duplicate keys (SPEC.md §3.1).
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

	// ---- Deterministic encoding (SPEC.md §3.1, RFC 8949 §4.2.1).
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

	// ---- Tag (SPEC.md §3).
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

	// ---- Headers (SPEC.md §3.2).
	headerCase := func(name, desc, verdict string, prot, unprot []byte) {
		v := build(name, desc)
		p := base(name).payload()
		v.payload = p
		v.envelope(sign1(bs(prot), unprot, bs(p), bs(signWith(k1, prot, p))))
		add(v.expect(decodeFails(verdict)))
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

	// ---- Claims (SPEC.md §4, §8 step 6). Each payload is correctly signed.
	claimCase := func(name, desc, verdict string, mk func(c claims) []byte) {
		v := build(name, desc)
		v.code(k1, mk(base(name)))
		add(v.expect(decodeFails(verdict)))
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
	vs = append(vs, defectCases()...)
	return vs, nil
}
