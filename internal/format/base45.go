package format

// Base45 as specified in RFC 9285, with strict decoding (SPEC.md §6.1).

import "fmt"

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

var base45Values = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = int8(i)
	}
	return t
}()

// Base45Error is a string that strict Base45 decoding refuses.
type Base45Error struct {
	Offset int    // where the defect is
	Detail string // what it is
}

func (e *Base45Error) Error() string { return "format: invalid Base45: " + e.Detail }

// Base45EncodedLen returns the length of the Base45 encoding of n bytes.
func Base45EncodedLen(n int) int { return n/2*3 + n%2*2 }

// AppendBase45 appends the Base45 encoding of src to dst.
func AppendBase45(dst, src []byte) []byte {
	for len(src) >= 2 {
		v := int(src[0])<<8 | int(src[1])
		dst = append(dst, base45Alphabet[v%45], base45Alphabet[v/45%45], base45Alphabet[v/2025])
		src = src[2:]
	}
	if len(src) == 1 {
		v := int(src[0])
		dst = append(dst, base45Alphabet[v%45], base45Alphabet[v/45])
	}
	return dst
}

// DecodeBase45 decodes s strictly: every character must be in the RFC 9285
// alphabet, the length must not be 1 mod 3, and no group may encode a value
// too large for its bytes. Errors are *Base45Error.
func DecodeBase45(s string) ([]byte, error) {
	return AppendDecodeBase45(make([]byte, 0, len(s)/3*2+1), s)
}

// AppendDecodeBase45 is DecodeBase45 appending to dst.
func AppendDecodeBase45(dst []byte, s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, &Base45Error{len(s) - 1, fmt.Sprintf("length %d leaves a single character", len(s))}
	}
	for i := 0; i < len(s); i += 3 {
		var c [3]int
		n := min(3, len(s)-i)
		for j := 0; j < n; j++ {
			v := base45Values[s[i+j]]
			if v < 0 {
				return nil, &Base45Error{i + j, fmt.Sprintf("character %q at offset %d is not in the alphabet", s[i+j], i+j)}
			}
			c[j] = int(v)
		}
		if n == 3 {
			v := c[0] + c[1]*45 + c[2]*2025
			if v > 0xffff {
				return nil, &Base45Error{i, fmt.Sprintf("group at offset %d encodes %d, more than two bytes hold", i, v)}
			}
			dst = append(dst, byte(v>>8), byte(v))
		} else {
			v := c[0] + c[1]*45
			if v > 0xff {
				return nil, &Base45Error{i, fmt.Sprintf("final group at offset %d encodes %d, more than one byte holds", i, v)}
			}
			dst = append(dst, byte(v))
		}
	}
	return dst, nil
}
