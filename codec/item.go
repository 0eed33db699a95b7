package codec

import (
	"bytes"
	"math"
	"unicode/utf8"

	"github.com/offcode/offcode/internal/format"
)

// The strict CBOR reader of SPEC.md §3.5. It reads one item into a flat,
// pre-order list of nodes without converting any value to another type, so
// that each caller can check the CBOR type at every position itself and give
// the verdict SPEC.md §3.5 rule 8 names for it. A general-purpose CBOR
// library would turn null into 0 or an empty byte string, which hides the
// defect (SPEC.md §3.5 rule 7).

// CBOR major types.
const (
	majorUint   = 0
	majorNeg    = 1
	majorBytes  = 2
	majorText   = 3
	majorArray  = 4
	majorMap    = 5
	majorTag    = 6
	majorSimple = 7
)

// Limits of SPEC.md §3.5 rule 5.
const (
	maxLevels   = 16
	maxElements = 16
)

// node is one CBOR data item.
type node struct {
	major byte
	ai    byte   // additional information of the head
	arg   uint64 // the head's argument: value, length, count or tag number
	// start and end bound the item's encoding; body is where its content
	// (string bytes, first element, tagged item) begins.
	start, body, end int
	// next is the index of the node after this item's subtree, that is of
	// its next sibling if it has one.
	next int
	// shortest is false if this item's head is not in its shortest form.
	shortest bool
}

// items is an item read from src, with its nodes in pre-order: nodes[0] is
// the item itself.
type items struct {
	src   []byte
	nodes []node
}

// readErr is the defect that ended a read: one of format.ErrMalformed,
// format.ErrIndefinite and format.ErrTrailingBytes, with a detail.
func readErr(sentinel error, format string, args ...any) error {
	return wrap(sentinel, format, args...)
}

// readItem reads exactly one well-formed, definite-length CBOR item from b
// (SPEC.md §3.5 rules 1, 2 and 5), in one pass in byte order that stops at
// the first defect. It then checks that no map holds two keys equal by
// value (rule 3). It does not check types or deterministic encoding.
func readItem(b []byte) (*items, error) {
	// A valid code's largest item, the payload, has 18 nodes; larger items
	// grow the slice, up to one node per input byte.
	it := &items{src: b, nodes: make([]node, 0, min(len(b), 20))}
	end, err := it.read(0, 1)
	if err != nil {
		return nil, err
	}
	if end != len(b) {
		return nil, readErr(format.ErrTrailingBytes, "%d bytes after the CBOR item", len(b)-end)
	}
	if err := it.checkDuplicates(); err != nil {
		return nil, err
	}
	return it, nil
}

// read reads the item at offset off, at nesting level level, appends its
// nodes and returns the offset after it.
func (it *items) read(off, level int) (int, error) {
	if level > maxLevels {
		return 0, readErr(format.ErrMalformed, "nesting deeper than %d levels", maxLevels)
	}
	b := it.src
	if off >= len(b) {
		return 0, readErr(format.ErrMalformed, "truncated CBOR")
	}
	major, ai := b[off]>>5, b[off]&0x1f
	n := node{major: major, ai: ai, start: off, shortest: true}
	p := off + 1
	switch {
	case ai < 24:
		n.arg = uint64(ai)
	case ai <= 27:
		w := 1 << (ai - 24)
		if len(b)-p < w {
			return 0, readErr(format.ErrMalformed, "truncated CBOR")
		}
		for _, c := range b[p : p+w] {
			n.arg = n.arg<<8 | uint64(c)
		}
		p += w
		if major != majorSimple {
			n.shortest = n.arg >= [...]uint64{24, 1 << 8, 1 << 16, 1 << 32}[ai-24]
		} else if ai == 24 && n.arg < 32 {
			return 0, readErr(format.ErrMalformed, "simple value %d in two bytes is not well-formed", n.arg)
		}
	case ai == 31 && (major == majorBytes || major == majorText || major == majorArray || major == majorMap):
		return 0, readErr(format.ErrIndefinite, "indefinite-length item at byte %d", off)
	case ai == 31 && major == majorSimple:
		return 0, readErr(format.ErrMalformed, "break byte outside an indefinite-length item")
	default:
		return 0, readErr(format.ErrMalformed, "head %#02x at byte %d is not well-formed", b[off], off)
	}
	n.body = p
	idx := len(it.nodes)
	it.nodes = append(it.nodes, n)
	switch major {
	case majorBytes, majorText:
		if n.arg > uint64(len(b)-p) {
			return 0, readErr(format.ErrMalformed, "truncated CBOR")
		}
		p += int(n.arg)
		if major == majorText && !utf8.Valid(b[n.body:p]) {
			return 0, readErr(format.ErrMalformed, "text string is not valid UTF-8")
		}
	case majorArray, majorMap:
		if n.arg > maxElements {
			return 0, readErr(format.ErrMalformed, "%d elements or pairs, at most %d", n.arg, maxElements)
		}
		count := int(n.arg)
		if major == majorMap {
			count *= 2
		}
		for range count {
			var err error
			if p, err = it.read(p, level+1); err != nil {
				return 0, err
			}
		}
	case majorTag:
		var err error
		if p, err = it.read(p, level+1); err != nil {
			return 0, err
		}
	}
	it.nodes[idx].end = p
	it.nodes[idx].next = len(it.nodes)
	return p, nil
}

// child returns the index of the first element of the array, map or tag at
// i. Following elements are at nodes[c].next.
func (it *items) child(i int) int { return i + 1 }

// raw returns the encoding of node i.
func (it *items) raw(i int) []byte { return it.src[it.nodes[i].start:it.nodes[i].end] }

// content returns the bytes of the byte or text string at i.
func (it *items) content(i int) []byte { return it.src[it.nodes[i].body:it.nodes[i].end] }

// pairs calls f with the key and value index of each pair of the map at i,
// in order, until f returns false.
func (it *items) pairs(i int, f func(k, v int) bool) {
	k := it.child(i)
	for range it.nodes[i].arg {
		v := it.nodes[k].next
		if !f(k, v) {
			return
		}
		k = it.nodes[v].next
	}
}

// elems returns the indexes of the elements of the array at i.
func (it *items) elems(i int, dst []int) []int {
	e := it.child(i)
	for range it.nodes[i].arg {
		dst = append(dst, e)
		e = it.nodes[e].next
	}
	return dst
}

// isInt reports whether node i is the integer v, by value (SPEC.md §3.5
// rule 3): its head may be longer than needed.
func (it *items) isInt(i int, v int64) bool {
	n := &it.nodes[i]
	if v >= 0 {
		return n.major == majorUint && n.arg == uint64(v)
	}
	return n.major == majorNeg && n.arg == uint64(-1-v)
}

// checkDuplicates reports a map of the item that holds two keys equal by
// value (SPEC.md §3.5 rule 3).
func (it *items) checkDuplicates() error {
	for i := range it.nodes {
		if it.nodes[i].major != majorMap || it.nodes[i].arg < 2 {
			continue
		}
		var keys [maxElements]int
		nk := 0
		dup := false
		it.pairs(i, func(k, _ int) bool {
			for _, o := range keys[:nk] {
				if it.sameKey(o, k) {
					dup = true
					return false
				}
			}
			keys[nk] = k
			nk++
			return true
		})
		if dup {
			return wrap(format.ErrDuplicateKey, "a map holds a key twice")
		}
	}
	return nil
}

// sameKey reports whether the items at i and j are equal by value: integers
// and simple values by major type and argument, strings by major type and
// bytes, floating-point numbers by value, and anything else by its
// deterministic encoding.
func (it *items) sameKey(i, j int) bool {
	a, b := &it.nodes[i], &it.nodes[j]
	if a.major != b.major {
		return false
	}
	switch a.major {
	case majorUint, majorNeg:
		return a.arg == b.arg
	case majorBytes, majorText:
		return bytes.Equal(it.content(i), it.content(j))
	case majorSimple:
		fa, oka := floatOf(a)
		fb, okb := floatOf(b)
		if oka || okb {
			return oka && okb && (fa == fb || (math.IsNaN(fa) && math.IsNaN(fb)))
		}
		return a.arg == b.arg
	}
	return bytes.Equal(it.canonical(nil, i), it.canonical(nil, j))
}

// floatOf returns the value of a floating-point node.
func floatOf(n *node) (float64, bool) {
	switch n.ai {
	case 25:
		return halfToFloat(uint16(n.arg)), true
	case 26:
		return float64(math.Float32frombits(uint32(n.arg))), true
	case 27:
		return math.Float64frombits(n.arg), true
	}
	return 0, false
}

// halfToFloat converts an IEEE 754 half-precision number (RFC 8949
// Appendix D).
func halfToFloat(h uint16) float64 {
	exp, mant := int(h>>10)&0x1f, float64(h&0x3ff)
	var v float64
	switch exp {
	case 0:
		v = math.Ldexp(mant, -24)
	case 31:
		if mant == 0 {
			v = math.Inf(1)
		} else {
			v = math.NaN()
		}
	default:
		v = math.Ldexp(mant+1024, exp-25)
	}
	if h&0x8000 != 0 {
		return -v
	}
	return v
}

// canonical appends the deterministic encoding (SPEC.md §3.5 rule 6) of
// node i: shortest heads and map keys sorted by their encodings.
// Floating-point numbers are copied as they are; they never reach the
// canonical check of a code (they are a wrong type or an unknown key first).
func (it *items) canonical(dst []byte, i int) []byte {
	n := &it.nodes[i]
	switch n.major {
	case majorSimple:
		return append(dst, it.raw(i)...)
	case majorBytes, majorText:
		dst = format.AppendHead(dst, n.major, n.arg)
		return append(dst, it.content(i)...)
	case majorArray, majorTag:
		dst = format.AppendHead(dst, n.major, n.arg)
		if n.major == majorTag {
			return it.canonical(dst, it.child(i))
		}
		for _, e := range it.elems(i, nil) {
			dst = it.canonical(dst, e)
		}
		return dst
	case majorMap:
		type kv struct{ k, v []byte }
		var ps []kv
		it.pairs(i, func(k, v int) bool {
			ps = append(ps, kv{it.canonical(nil, k), it.canonical(nil, v)})
			return true
		})
		for a := 1; a < len(ps); a++ {
			for b := a; b > 0 && bytes.Compare(ps[b-1].k, ps[b].k) > 0; b-- {
				ps[b-1], ps[b] = ps[b], ps[b-1]
			}
		}
		dst = format.AppendHead(dst, n.major, n.arg)
		for _, p := range ps {
			dst = append(append(dst, p.k...), p.v...)
		}
		return dst
	}
	return format.AppendHead(dst, n.major, n.arg)
}

// isCanonical reports whether the item is in deterministic encoding: every
// head in its shortest form and the keys of every map in ascending bytewise
// order of their encodings. It does not allocate.
func (it *items) isCanonical() bool {
	for i := range it.nodes {
		if !it.nodes[i].shortest {
			return false
		}
		if it.nodes[i].major != majorMap {
			continue
		}
		var prev []byte
		sorted := true
		it.pairs(i, func(k, _ int) bool {
			key := it.raw(k)
			if prev != nil && bytes.Compare(prev, key) >= 0 {
				sorted = false
				return false
			}
			prev = key
			return true
		})
		if !sorted {
			return false
		}
	}
	return true
}
