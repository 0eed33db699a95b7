package format

import (
	"bytes"
	"errors"
	"testing"
)

func TestBase45RFC9285(t *testing.T) {
	// The examples of RFC 9285 §4.3 and §4.4.
	tests := []struct {
		in, out string
	}{
		{"AB", "BB8"},
		{"Hello!!", "%69 VD92EX0"},
		{"base-45", "UJCLQE7W581"},
		{"ietf!", "QED8WEX0"},
		{"", ""},
		{"\x00", "00"},
		{"\xff", "U5"},
		{"\xff\xff", "FGW"},
		{"\x00\x00", "000"},
	}
	for _, tt := range tests {
		if got := string(AppendBase45(nil, []byte(tt.in))); got != tt.out {
			t.Fatalf("AppendBase45(%q) = %q, want %q", tt.in, got, tt.out)
		}
		if n := Base45EncodedLen(len(tt.in)); n != len(tt.out) {
			t.Fatalf("Base45EncodedLen(%d) = %d, want %d", len(tt.in), n, len(tt.out))
		}
		got, err := DecodeBase45(tt.out)
		if err != nil || !bytes.Equal(got, []byte(tt.in)) {
			t.Fatalf("DecodeBase45(%q) = %q, %v, want %q, nil", tt.out, got, err, tt.in)
		}
	}
}

func TestAppendBase45Appends(t *testing.T) {
	if got := string(AppendBase45([]byte("OC1:"), []byte("AB"))); got != "OC1:BB8" {
		t.Fatalf("AppendBase45(\"OC1:\", \"AB\") = %q, want %q", got, "OC1:BB8")
	}
}

func TestBase45AllBytes(t *testing.T) {
	src := make([]byte, 0, 2*256*256)
	for i := 0; i < 256*256; i++ {
		src = append(src, byte(i>>8), byte(i))
	}
	src = append(src, 0x7f)
	enc := AppendBase45(nil, src)
	got, err := DecodeBase45(string(enc))
	if err != nil || !bytes.Equal(got, src) {
		t.Fatalf("DecodeBase45(AppendBase45(every pair)) = %v, want the input back", err)
	}
}

func TestDecodeBase45Strict(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"single character", "A"},
		{"length 1 mod 3", "BB8A"},
		{"lower case", "bb8"},
		{"character outside alphabet", "BB#"},
		{"non-ASCII", "BB\xc3"},
		{"NUL", "BB\x00"},
		{"group above 65535 (RFC 9285 GGW)", "GGW"},
		{"largest group", ":::"},
		{"final pair above 255", "V5"},
		{"final pair ::", "::"},
		{"bad group after a good one", "BB8GGW"},
	}
	for _, tt := range tests {
		got, err := DecodeBase45(tt.in)
		var be *Base45Error
		if !errors.As(err, &be) {
			t.Fatalf("DecodeBase45(%s: %q) = %x, %v, want a *Base45Error", tt.name, tt.in, got, err)
		}
	}
}
