package gen

import "encoding/hex"

// smallOrderR lists the 8 canonical encodings of the points of small order
// as SPEC.md §3.4 writes them out, with the names of their vectors. The
// order-8 point c7176a70…ac037a has the vector bad_signature_small_order_r.
var smallOrderR = []struct{ name, hex, what string }{
	{"identity", "0100000000000000000000000000000000000000000000000000000000000000", "the identity (order 1)"},
	{"order_2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "the point of order 2"},
	{"order_4_a", "0000000000000000000000000000000000000000000000000000000000000000", "a point of order 4 (x > 0)"},
	{"order_4_b", "0000000000000000000000000000000000000000000000000000000000000080", "a point of order 4 (x < 0)"},
	{"order_8_b", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "a point of order 8"},
	{"order_8_c", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "a point of order 8"},
	{"order_8_d", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", "a point of order 8"},
}

// smallOrderCases are a correctly made code whose signature's R is each of
// the other 7 small-order encodings of SPEC.md §3.4, S from a real
// signature: bad signature, whatever S (§8 step 8.2).
func smallOrderCases() (vs []vector) {
	k1 := Key(1)
	prot := protected(kidOf(pubOf(k1)))
	for _, r := range smallOrderR {
		name := "bad_signature_small_order_r_" + r.name
		v := build(name, "R is "+r.what+", canonical encoding "+r.hex+", one of the 8 listed in SPEC.md §3.4; "+
			"S is taken from a real signature. A verifier rejects R of small order: bad signature.")
		p := base(name).payload()
		sig := signWith(k1, prot, p)
		rb, err := hex.DecodeString(r.hex)
		if err != nil || len(rb) != 32 {
			panic("gen: bad small-order encoding " + r.hex)
		}
		copy(sig[:32], rb)
		v.payload = p
		v.envelope(sign1(bs(prot), emptyMap, bs(p), bs(sig)))
		vs = append(vs, v.expect(signatureFails("bad_signature")))
	}
	return vs
}
