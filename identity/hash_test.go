package identity

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/offcode/offcode/internal/format"
)

var salt1 = [SaltSize]byte{0: 1, 15: 0xff}

func TestHashIDDeterministic(t *testing.T) {
	id := mustParse(t, "11010519491231002X")
	a, b := HashID(id, salt1), HashID(id, salt1)
	if a != b {
		t.Fatalf("HashID twice = %x and %x, want equal", a.Sum, b.Sum)
	}
	if a.Version != format.HashVersion || a.Salt != salt1 {
		t.Fatalf("HashID = {Version: %d, Salt: %x}, want {%d, %x}", a.Version, a.Salt, format.HashVersion, salt1)
	}
	// The lower-case form normalises to the same number and so the same hash.
	if c := HashID(mustParse(t, "11010519491231002x"), salt1); c != a {
		t.Fatalf("HashID(lower-case x) = %x, want %x", c.Sum, a.Sum)
	}
	var salt2 [SaltSize]byte
	if c := HashID(id, salt2); c.Sum == a.Sum {
		t.Fatalf("HashID under two salts = %x both, want different", a.Sum)
	}
	if c := HashID(mustParse(t, "440304198001011239"), salt1); c.Sum == a.Sum {
		t.Fatalf("HashID of two IDs = %x both, want different", a.Sum)
	}
}

// TestHashIDKnownAnswer pins the version 2 parameters: Argon2id, t=2,
// m=4096 KiB, p=1, 16 bytes, over the 18 ASCII characters, cut to the first
// 20 bits.
func TestHashIDKnownAnswer(t *testing.T) {
	id := mustParse(t, "11010519491231002x")
	got := HashID(id, salt1)
	// The 16-byte output was computed independently with the reference C
	// implementation (libargon2 20171227, argon2id_hash_raw(2, 4096, 1, ...)):
	// 578cd64a2b2a8bf86dd203ff5afd6626. The digest is its first 20 bits.
	const want = "578cd0"
	if h := hex.EncodeToString(got.Sum[:]); h != want {
		t.Fatalf("HashID(%s, %x) = %s, want %s", id, salt1, h, want)
	}
}

func TestHashIDZeroPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatalf("HashID(ID{}) did not panic")
		}
	}()
	HashID(ID{}, salt1)
}

func TestMatches(t *testing.T) {
	id := mustParse(t, "11010519491231002X")
	other := mustParse(t, "440304198001011239")
	h := HashID(id, salt1)
	tests := []struct {
		name string
		h    Hash
		id   ID
		want bool
	}{
		{"same ID", h, id, true},
		{"other ID", h, other, false},
		{"other salt", Hash{Version: format.HashVersion, Salt: [SaltSize]byte{}, Sum: h.Sum}, id, false},
		{"flipped sum bit", func() Hash { g := h; g.Sum[0] ^= 1; return g }(), id, false},
	}
	for _, tt := range tests {
		got, err := tt.h.Matches(tt.id)
		if err != nil || got != tt.want {
			t.Fatalf("Matches(%s) = %v, %v, want %v, nil", tt.name, got, err, tt.want)
		}
	}
}

func TestMatchesUnknownVersion(t *testing.T) {
	id := mustParse(t, "11010519491231002X")
	for _, v := range []uint8{0, 1, 3, 255} {
		h := HashID(id, salt1)
		h.Version = v
		ok, err := h.Matches(id)
		if ok || !errors.Is(err, format.ErrHashVersion) {
			t.Fatalf("Hash{Version: %d}.Matches = %v, %v, want false, %v", v, ok, err, format.ErrHashVersion)
		}
	}
}

func TestValidSum(t *testing.T) {
	for _, tt := range []struct {
		sum  []byte
		want bool
	}{{[]byte{1, 2, 0x30}, true}, {[]byte{1, 2, 0x31}, false}, {[]byte{1, 2, 0x38}, false}, {[]byte{1, 2}, false}, {make([]byte, 16), false}} {
		if got := format.ValidSum(tt.sum); got != tt.want {
			t.Errorf("format.ValidSum(%x) = %v, want %v", tt.sum, got, tt.want)
		}
	}
}
