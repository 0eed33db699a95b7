package gen

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small CBOR writer that builds items byte by byte. It is deliberately
// independent of package codec, so that the vectors check codec rather than
// repeat it, and it can write the non-canonical, duplicate and
// indefinite-length encodings that a conforming encoder never produces.

const (
	majorUint  = 0
	majorNint  = 1
	majorBytes = 2
	majorText  = 3
	majorArray = 4
	majorMap   = 5
	majorTag   = 6
	majorOther = 7
)

// head returns a CBOR head with argument n in its shortest form.
func head(major byte, n uint64) []byte {
	switch {
	case n < 24:
		return headW(major, n, 0)
	case n <= 0xff:
		return headW(major, n, 1)
	case n <= 0xffff:
		return headW(major, n, 2)
	case n <= 0xffffffff:
		return headW(major, n, 4)
	}
	return headW(major, n, 8)
}

// headW returns a CBOR head whose argument takes w bytes (0 for an argument
// held in the initial byte), shortest or not.
func headW(major byte, n uint64, w int) []byte {
	m := major << 5
	switch w {
	case 0:
		if n >= 24 {
			panic("gen: headW: argument too large for the initial byte")
		}
		return []byte{m | byte(n)}
	case 1:
		return []byte{m | 24, byte(n)}
	case 2:
		return []byte{m | 25, byte(n >> 8), byte(n)}
	case 4:
		return []byte{m | 26, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	case 8:
		return []byte{m | 27, byte(n >> 56), byte(n >> 48), byte(n >> 40), byte(n >> 32),
			byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	panic("gen: headW: bad width")
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// u is an unsigned integer.
func u(n uint64) []byte { return head(majorUint, n) }

// integer is a signed integer.
func integer(n int64) []byte {
	if n >= 0 {
		return u(uint64(n))
	}
	return head(majorNint, uint64(-1-n))
}

// bs is a byte string.
func bs(b []byte) []byte { return cat(head(majorBytes, uint64(len(b))), b) }

// ts is a text string.
func ts(s string) []byte { return cat(head(majorText, uint64(len(s))), []byte(s)) }

// array is a definite-length array of encoded items.
func array(items ...[]byte) []byte {
	return cat(head(majorArray, uint64(len(items))), cat(items...))
}

// indefArray is an indefinite-length array of encoded items.
func indefArray(items ...[]byte) []byte {
	return cat([]byte{majorArray<<5 | 31}, cat(items...), []byte{0xff})
}

// tag is a tagged item.
func tag(n uint64, item []byte) []byte { return cat(head(majorTag, n), item) }

// null is the simple value null.
var null = []byte{0xf6}

// kv is one map entry, key and value encoded.
type kv struct{ k, v []byte }

// entries is a map's entries in the order they are written.
type entries []kv

// encode writes a definite-length map with the entries in their order.
func (es entries) encode() []byte {
	b := head(majorMap, uint64(len(es)))
	for _, e := range es {
		b = append(b, e.k...)
		b = append(b, e.v...)
	}
	return b
}

// encodeIndef writes an indefinite-length map with the entries in their
// order.
func (es entries) encodeIndef() []byte {
	b := []byte{majorMap<<5 | 31}
	for _, e := range es {
		b = append(b, e.k...)
		b = append(b, e.v...)
	}
	return append(b, 0xff)
}

// sorted returns the entries in the order of RFC 8949 §4.2.1: bytewise
// lexicographic order of the encoded keys.
func (es entries) sorted() entries {
	out := append(entries(nil), es...)
	sort.SliceStable(out, func(i, j int) bool { return bytes.Compare(out[i].k, out[j].k) < 0 })
	return out
}

// canonical writes the map in deterministic encoding.
func (es entries) canonical() []byte { return es.sorted().encode() }

// without returns the entries without the one whose key is k.
func (es entries) without(k []byte) entries {
	var out entries
	for _, e := range es {
		if !bytes.Equal(e.k, k) {
			out = append(out, e)
		}
	}
	return out
}

// with returns the entries with the value of key k replaced by v, or with
// the entry added if k is not there.
func (es entries) with(k, v []byte) entries {
	out := append(entries(nil), es...)
	for i := range out {
		if bytes.Equal(out[i].k, k) {
			out[i].v = v
			return out
		}
	}
	return append(out, kv{k, v})
}

// Diagnostic notation (RFC 8949 §8), with the encoding indicators of §8.1
// for every argument not in its shortest form, so that a non-canonical item
// reads differently from its canonical twin: 1_0 is 1 encoded as 0x18 0x01,
// [_ 1] an indefinite-length array, h'00'_1 a byte string whose length takes
// two bytes. A sequence of several items is written separated by ", ".

var errNotWellFormed = errors.New("gen: not well-formed CBOR")

// diag returns the diagnostic notation of the CBOR sequence b.
func diag(b []byte) (string, error) {
	if len(b) == 0 {
		return "", fmt.Errorf("%w: empty", errNotWellFormed)
	}
	d := &diagnoser{b: b}
	var sb strings.Builder
	for d.off < len(b) {
		if d.off > 0 {
			sb.WriteString(", ")
		}
		if err := d.item(&sb, 0); err != nil {
			return "", err
		}
	}
	return sb.String(), nil
}

type diagnoser struct {
	b   []byte
	off int
}

func (d *diagnoser) fail(format string, args ...any) error {
	return fmt.Errorf("%w: at offset %d: %s", errNotWellFormed, d.off, fmt.Sprintf(format, args...))
}

// head reads a head and returns its major type, additional information,
// argument and encoding indicator ("" when the argument is in its shortest
// form or the item is indefinite-length).
func (d *diagnoser) head() (major, ai byte, n uint64, ind string, err error) {
	if d.off >= len(d.b) {
		return 0, 0, 0, "", d.fail("unexpected end")
	}
	ib := d.b[d.off]
	d.off++
	major, ai = ib>>5, ib&31
	switch {
	case ai < 24:
		return major, ai, uint64(ai), "", nil
	case ai <= 27:
		w := 1 << (ai - 24)
		if d.off+w > len(d.b) {
			return 0, 0, 0, "", d.fail("unexpected end in argument")
		}
		for _, c := range d.b[d.off : d.off+w] {
			n = n<<8 | uint64(c)
		}
		d.off += w
		if major != majorOther && !bytes.Equal(head(major, n), d.b[d.off-w-1:d.off]) {
			ind = "_" + strconv.Itoa(int(ai-24))
		}
		return major, ai, n, ind, nil
	case ai == 31 && major >= majorBytes && major <= majorMap:
		return major, ai, 0, "", nil
	}
	return 0, 0, 0, "", d.fail("additional information %d for major type %d", ai, major)
}

func (d *diagnoser) item(sb *strings.Builder, depth int) error {
	if depth > 32 {
		return d.fail("nested too deeply")
	}
	major, ai, n, ind, err := d.head()
	if err != nil {
		return err
	}
	switch major {
	case majorUint:
		sb.WriteString(strconv.FormatUint(n, 10) + ind)
	case majorNint:
		if n == ^uint64(0) {
			sb.WriteString("-18446744073709551616" + ind)
		} else {
			sb.WriteString("-" + strconv.FormatUint(n+1, 10) + ind)
		}
	case majorBytes, majorText:
		if ai == 31 {
			return d.indefString(sb, major, depth)
		}
		return d.str(sb, major, n, ind)
	case majorArray, majorMap:
		return d.container(sb, major, ai == 31, n, ind, depth)
	case majorTag:
		sb.WriteString(strconv.FormatUint(n, 10) + ind + "(")
		if err := d.item(sb, depth+1); err != nil {
			return err
		}
		sb.WriteString(")")
	case majorOther:
		return d.simple(sb, ai, n)
	}
	return nil
}

// indefString prints an indefinite-length byte or text string: its chunks
// in "(_ …)".
func (d *diagnoser) indefString(sb *strings.Builder, major byte, depth int) error {
	sb.WriteString("(_ ")
	for i := 0; ; i++ {
		if d.off < len(d.b) && d.b[d.off] == 0xff {
			d.off++
			break
		}
		if d.off < len(d.b) && d.b[d.off]>>5 != major {
			return d.fail("chunk of another type in an indefinite-length string")
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		if err := d.item(sb, depth+1); err != nil {
			return err
		}
	}
	sb.WriteString(")")
	return nil
}

// str prints a definite-length byte string as h'…' or a text string as a
// JSON string.
func (d *diagnoser) str(sb *strings.Builder, major byte, n uint64, ind string) error {
	if uint64(len(d.b)-d.off) < n {
		return d.fail("string runs past the end")
	}
	s := d.b[d.off : d.off+int(n)]
	d.off += int(n)
	if major == majorBytes {
		sb.WriteString("h'" + hex.EncodeToString(s) + "'" + ind)
		return nil
	}
	if !utf8.Valid(s) {
		return d.fail("text string is not UTF-8")
	}
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(string(s)); err != nil {
		return err
	}
	sb.WriteString(strings.TrimSuffix(q.String(), "\n") + ind)
	return nil
}

// container prints an array or a map, definite or indefinite.
func (d *diagnoser) container(sb *strings.Builder, major byte, indef bool, n uint64, ind string, depth int) error {
	open, close := "[", "]"
	if major == majorMap {
		open, close = "{", "}"
	}
	sb.WriteString(open)
	switch {
	case indef:
		sb.WriteString("_ ")
	case ind != "":
		sb.WriteString(ind + " ")
	}
	for i := uint64(0); indef || i < n; i++ {
		if indef && d.off < len(d.b) && d.b[d.off] == 0xff {
			d.off++
			break
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		if err := d.item(sb, depth+1); err != nil {
			return err
		}
		if major == majorMap {
			sb.WriteString(": ")
			if err := d.item(sb, depth+1); err != nil {
				return err
			}
		}
	}
	sb.WriteString(close)
	return nil
}

// simple prints a simple value or the one float the vectors use.
func (d *diagnoser) simple(sb *strings.Builder, ai byte, n uint64) error {
	switch {
	case ai == 20:
		sb.WriteString("false")
	case ai == 21:
		sb.WriteString("true")
	case ai == 22:
		sb.WriteString("null")
	case ai == 23:
		sb.WriteString("undefined")
	case ai < 20:
		sb.WriteString("simple(" + strconv.FormatUint(n, 10) + ")")
	case ai == 24 && n >= 32:
		sb.WriteString("simple(" + strconv.FormatUint(n, 10) + ")")
	case ai == 25 && n == 0x3e00:
		sb.WriteString("1.5_1") // the one half-precision value the vectors use
	default:
		return d.fail("simple value or float %d not supported by this printer", ai)
	}
	return nil
}
