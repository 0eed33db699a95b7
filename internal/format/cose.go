package format

// KeyIDSize is the size of a kid (SPEC.md §3.2).
const KeyIDSize = 8

// AppendHead appends a CBOR head of major type major with argument n in its
// shortest form (RFC 8949 §3).
func AppendHead(dst []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(dst, m|byte(n))
	case n <= 0xff:
		return append(dst, m|24, byte(n))
	case n <= 0xffff:
		return append(dst, m|25, byte(n>>8), byte(n))
	case n <= 0xffffffff:
		return append(dst, m|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, m|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

const majorBytes = 2

// AppendProtected appends the protected header {1: -8, 4: kid} in
// deterministic encoding, the 13 bytes a2 01 27 04 48 || kid (SPEC.md §3.1).
func AppendProtected(dst []byte, kid [KeyIDSize]byte) []byte {
	dst = append(dst, 0xa2, 0x01, 0x27, 0x04) // map(2), 1: -8, 4:
	dst = AppendHead(dst, majorBytes, KeyIDSize)
	return append(dst, kid[:]...)
}

// AppendSigStructure appends the COSE Sig_structure
// ["Signature1", protected, h”, payload] (RFC 9052 §4.4, SPEC.md §3.3) to
// dst: the message Ed25519 signs.
func AppendSigStructure(dst, protected, payload []byte) []byte {
	dst = append(dst, 0x84, 0x6a)
	dst = append(dst, "Signature1"...)
	dst = AppendHead(dst, majorBytes, uint64(len(protected)))
	dst = append(dst, protected...)
	dst = append(dst, 0x40)
	dst = AppendHead(dst, majorBytes, uint64(len(payload)))
	return append(dst, payload...)
}

// AppendMessage appends the tagged COSE_Sign1
// 18([protected, {}, payload, signature]) in deterministic encoding
// (SPEC.md §3.1).
func AppendMessage(dst, protected, payload, signature []byte) []byte {
	dst = append(dst, 0xd2, 0x84) // tag 18, array(4)
	dst = AppendHead(dst, majorBytes, uint64(len(protected)))
	dst = append(dst, protected...)
	dst = append(dst, 0xa0)
	dst = AppendHead(dst, majorBytes, uint64(len(payload)))
	dst = append(dst, payload...)
	dst = AppendHead(dst, majorBytes, uint64(len(signature)))
	return append(dst, signature...)
}
