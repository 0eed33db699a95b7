package verify

import (
	"bytes"
	"math/big"
	"testing"

	"filippo.io/edwards25519"
)

// TestSmallOrderTable checks that each entry of smallOrder is a canonical
// encoding of a point whose order divides 8, and that there are eight
// distinct ones: the whole torsion subgroup.
func TestSmallOrderTable(t *testing.T) {
	seen := map[[32]byte]bool{}
	id := edwards25519.NewIdentityPoint()
	for i, enc := range smallOrder {
		p, err := new(edwards25519.Point).SetBytes(enc[:])
		if err != nil {
			t.Fatalf("SetBytes(smallOrder[%d] = %x) = %v, want a point", i, enc, err)
		}
		if !bytes.Equal(p.Bytes(), enc[:]) {
			t.Fatalf("smallOrder[%d] = %x re-encodes as %x, want canonical", i, enc, p.Bytes())
		}
		if new(edwards25519.Point).MultByCofactor(p).Equal(id) != 1 {
			t.Fatalf("[8]smallOrder[%d] is not the identity", i)
		}
		if seen[enc] {
			t.Fatalf("smallOrder[%d] = %x is a duplicate", i, enc)
		}
		seen[enc] = true
		if !isSmallOrder(enc[:]) {
			t.Fatalf("isSmallOrder(smallOrder[%d]) = false, want true", i)
		}
	}
	// The orders are 1, 2, 4, 4, 8, 8, 8, 8 in table order.
	wantOrder := []int{1, 2, 4, 4, 8, 8, 8, 8}
	for i, enc := range smallOrder {
		p, _ := new(edwards25519.Point).SetBytes(enc[:])
		q := new(edwards25519.Point).Set(p)
		n := 1
		for q.Equal(id) != 1 {
			q.Add(q, p)
			n++
		}
		if n != wantOrder[i] {
			t.Fatalf("order of smallOrder[%d] = %d, want %d", i, n, wantOrder[i])
		}
	}
	if isSmallOrder(edwards25519.NewGeneratorPoint().Bytes()) {
		t.Fatalf("isSmallOrder(B) = true, want false")
	}
	if isSmallOrder(nonCanonicalX) {
		t.Fatalf("isSmallOrder(nonCanonicalX) = true, want false")
	}
}

func scalarLE(n *big.Int) []byte {
	be := n.FillBytes(make([]byte, 32))
	le := make([]byte, 32)
	for i := range be {
		le[i] = be[31-i]
	}
	return le
}

func TestIsCanonicalScalar(t *testing.T) {
	l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	if got := new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 252), mustBig("27742317777372353535851937790883648493")); got.Cmp(l) != 0 {
		t.Fatalf("L = %v, want 2^252 + 27742317777372353535851937790883648493", l)
	}
	if !bytes.Equal(scalarLE(l), orderL[:]) {
		t.Fatalf("orderL = %x, want %x", orderL, scalarLE(l))
	}
	one := big.NewInt(1)
	max := new(big.Int).Sub(new(big.Int).Lsh(one, 256), one)
	tests := []struct {
		name string
		s    *big.Int
		want bool
	}{
		{"0", big.NewInt(0), true},
		{"1", one, true},
		{"L-1", new(big.Int).Sub(l, one), true},
		{"L", l, false},
		{"L+1", new(big.Int).Add(l, one), false},
		{"2^252", new(big.Int).Lsh(one, 252), true},
		{"2^253", new(big.Int).Lsh(one, 253), false},
		{"2L", new(big.Int).Lsh(l, 1), false},
		{"2^256-1", max, false},
	}
	for _, tt := range tests {
		if got := isCanonicalScalar(scalarLE(tt.s)); got != tt.want {
			t.Fatalf("isCanonicalScalar(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func mustBig(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return n
}
