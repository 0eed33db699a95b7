package gen

import (
	"fmt"
	"strings"
)

// textCases returns the vectors of one part of SPEC.md: text form (SPEC.md §6, §8 steps 1-2).
func textCases() (vs []vector, err error) {
	k1 := Key(1)
	add := func(v vector) { vs = append(vs, v) }
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
	return vs, nil
}
