package gen

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestDiag(t *testing.T) {
	tests := []struct{ hex, want string }{
		// RFC 8949 Appendix A.
		{"00", "0"},
		{"17", "23"},
		{"1818", "24"},
		{"1903e8", "1000"},
		{"1bffffffffffffffff", "18446744073709551615"},
		{"20", "-1"},
		{"3903e7", "-1000"},
		{"3bffffffffffffffff", "-18446744073709551616"},
		{"f4", "false"},
		{"f5", "true"},
		{"f6", "null"},
		{"f7", "undefined"},
		{"c11a514b67b0", "1(1363896240)"},
		{"40", "h''"},
		{"4401020304", "h'01020304'"},
		{"60", `""`},
		{"6161", `"a"`},
		{"62225c", `"\"\\"`},
		{"63e6b0b4", `"水"`},
		{"80", "[]"},
		{"83010203", "[1, 2, 3]"},
		{"8301820203820405", "[1, [2, 3], [4, 5]]"},
		{"a0", "{}"},
		{"a201020304", "{1: 2, 3: 4}"},
		{"a26161016162820203", `{"a": 1, "b": [2, 3]}`},
		{"5f42010243030405ff", "(_ h'0102', h'030405')"},
		{"7f657374726561646d696e67ff", `(_ "strea", "ming")`},
		{"9fff", "[_ ]"},
		{"9f018202039f0405ffff", "[_ 1, [2, 3], [_ 4, 5]]"},
		{"bf61610161629f0203ffff", `{_ "a": 1, "b": [_ 2, 3]}`},
		// Encoding indicators (RFC 8949 §8.1) for arguments not in their
		// shortest form.
		{"1801", "1_0"},
		{"1b0000000000000001", "1_3"},
		{"3807", "-8_0"},
		{"5800", "h''_0"},
		{"590001ff", "h'ff'_1"},
		{"980101", "[_0 1]"},
		{"b8020102030c", "{_0 1: 2, 3: 12}"},
		{"d81203", "18_0(3)"},
		{"d9001203", "18_1(3)"},
		// A sequence.
		{"a0" + "00", "{}, 0"},
	}
	for _, tt := range tests {
		b, _ := hex.DecodeString(tt.hex)
		got, err := diag(b)
		if err != nil || got != tt.want {
			t.Errorf("diag(%s) = %q, %v, want %q", tt.hex, got, err, tt.want)
		}
	}
}

func TestDiagRejects(t *testing.T) {
	for _, h := range []string{"", "18", "19ff", "a1", "a101", "62ff", "9f", "5f01ff", "ff", "1c", "f93c00", "62c328"} {
		b, _ := hex.DecodeString(h)
		if got, err := diag(b); !errors.Is(err, errNotWellFormed) {
			t.Errorf("diag(%s) = %q, %v, want errNotWellFormed", h, got, err)
		}
	}
}

func TestHeads(t *testing.T) {
	tests := []struct {
		got  []byte
		want string
	}{
		{u(0), "00"},
		{u(23), "17"},
		{u(24), "1818"},
		{u(256), "190100"},
		{u(1 << 32), "1b0000000100000000"},
		{integer(-8), "27"},
		{integer(-65537), "3a00010000"},
		{headW(majorUint, 1, 8), "1b0000000000000001"},
		{bs([]byte{1}), "4101"},
		{ts("a"), "6161"},
		{array(u(1), u(2)), "820102"},
		{indefArray(u(1)), "9f01ff"},
		{tag(18, array()), "d280"},
		{entries{{u(4), u(0)}, {u(1), u(0)}}.encode(), "a204000100"},
		{entries{{u(4), u(0)}, {integer(-1), u(0)}, {u(1), u(0)}}.canonical(), "a30100040020" + "00"},
		{entries{{u(1), u(0)}}.encodeIndef(), "bf0100ff"},
	}
	for i, tt := range tests {
		if got := hex.EncodeToString(tt.got); got != tt.want {
			t.Errorf("case %d = %s, want %s", i, got, tt.want)
		}
	}
}

func TestBase45(t *testing.T) {
	// RFC 9285 §4.3.
	for in, want := range map[string]string{"AB": "BB8", "Hello!!": "%69 VD92EX0", "base-45": "UJCLQE7W581", "ietf!": "QED8WEX0"} {
		if got := base45([]byte(in)); got != want {
			t.Errorf("base45(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeys(t *testing.T) {
	if len(KeySeed(1)) != 32 || string(KeySeed(1)) == string(KeySeed(2)) {
		t.Fatalf("KeySeed gives bad seeds")
	}
	for n := 1; n <= NumKeys; n++ {
		if !strings.HasPrefix(trusted(n).Issuer, "offcode test issuer") {
			t.Errorf("trusted(%d) has issuer %q", n, trusted(n).Issuer)
		}
	}
}
