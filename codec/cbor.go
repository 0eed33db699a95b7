package codec

import (
	"bytes"
	"errors"
	"io"

	"github.com/fxamacker/cbor/v2"

	"github.com/offcode/offcode/internal/detcbor"
)

// The one deterministic encoder and the one strict decoder (SPEC.md §3.5).
// They are immutable once built and safe for concurrent use.
var (
	encMode = detcbor.EncMode()
	decMode = detcbor.DecMode(detcbor.Limits{MaxNestedLevels: 16, MaxArrayElements: 16, MaxMapPairs: 16})
)

// classify maps an error from the strict decoder onto this package's
// sentinels. typeErr is used for a value of the wrong CBOR type, unknownErr
// for a map key the structure does not define.
func classify(err error, typeErr, unknownErr error) error {
	if _, ok := errorsAs[*cbor.ExtraneousDataError](err); ok {
		return wrap(ErrTrailingBytes, "%v", err)
	}
	if _, ok := errorsAs[*cbor.IndefiniteLengthError](err); ok {
		return wrap(ErrIndefinite, "%v", err)
	}
	if _, ok := errorsAs[*cbor.DupMapKeyError](err); ok {
		return wrap(ErrDuplicateKey, "%v", err)
	}
	if _, ok := errorsAs[*cbor.UnknownFieldError](err); ok {
		return wrap(unknownErr, "%v", err)
	}
	if _, ok := errorsAs[*cbor.UnmarshalTypeError](err); ok {
		return wrap(typeErr, "%v", err)
	}
	if _, ok := errorsAs[*cbor.TagsMdError](err); ok {
		// A tagged value where the structure wants an untagged one is a
		// value of the wrong type (e.g. 1(iat), SPEC.md §4.1).
		return wrap(typeErr, "%v", err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return wrap(ErrMalformed, "truncated CBOR")
	}
	return wrap(ErrMalformed, "%v", err)
}

// checkCanonical re-encodes v, which was decoded from b, and requires the
// result to equal b byte for byte. On a mismatch it returns diagnose(b).
func checkCanonical(b []byte, v any, diagnose func([]byte) error) error {
	re, err := encMode.Marshal(v)
	if err != nil {
		return wrap(ErrMalformed, "re-encoding: %v", err)
	}
	if !bytes.Equal(re, b) {
		return diagnose(b)
	}
	return nil
}

// appendHead appends a CBOR head of major type major with argument n in its
// shortest form (RFC 8949 §3).
func appendHead(dst []byte, major byte, n uint64) []byte {
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

const (
	majorBytes = 2
	majorText  = 3
	majorArray = 4
	majorTag   = 6
)

// hasNull reports whether the well-formed, definite-length CBOR item b holds
// null or undefined anywhere (SPEC.md §3.5 rule 7). The strict decoder turns
// null into a zero value without complaint, so the error paths call this to
// name a null member as a value of the wrong type. It is not called on the
// path of a valid code.
func hasNull(b []byte) bool {
	found, _ := scanNull(b)
	return found
}

// scanNull walks one item of b and returns whether it holds null or
// undefined, and the bytes after the item. A malformed item ends the walk.
func scanNull(b []byte) (bool, []byte) {
	if len(b) == 0 {
		return false, nil
	}
	major, ai := b[0]>>5, b[0]&0x1f
	b = b[1:]
	var n uint64
	switch {
	case ai < 24:
		n = uint64(ai)
	case ai <= 27:
		size := 1 << (ai - 24)
		if len(b) < size {
			return false, nil
		}
		for _, c := range b[:size] {
			n = n<<8 | uint64(c)
		}
		b = b[size:]
	default:
		return false, nil
	}
	switch major {
	case 2, 3:
		if uint64(len(b)) < n {
			return false, nil
		}
		return false, b[n:]
	case 4, 5:
		items := n
		if major == 5 {
			items *= 2
		}
		for i := uint64(0); i < items && len(b) > 0; i++ {
			var found bool
			if found, b = scanNull(b); found {
				return true, nil
			}
		}
		return false, b
	case 6:
		return scanNull(b)
	case 7:
		return ai == 22 || ai == 23, b
	}
	return false, b
}
