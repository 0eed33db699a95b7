package codec

import "github.com/offcode/offcode/internal/detcbor"

// encMode is the one deterministic encoder (SPEC.md §3.5). It is immutable
// and safe for concurrent use. Decoding does not use a CBOR library: see
// item.go.
var encMode = detcbor.EncMode()

// readHead reads the CBOR head at the start of b and returns its argument
// and length in bytes. ok is false if b is too short or the head is not one
// with a definite argument (additional information 28-31).
func readHead(b []byte) (arg uint64, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	ai := b[0] & 0x1f
	switch {
	case ai < 24:
		return uint64(ai), 1, true
	case ai > 27:
		return 0, 0, false
	}
	w := 1 << (ai - 24)
	if len(b) < 1+w {
		return 0, 0, false
	}
	for _, c := range b[1 : 1+w] {
		arg = arg<<8 | uint64(c)
	}
	return arg, 1 + w, true
}
