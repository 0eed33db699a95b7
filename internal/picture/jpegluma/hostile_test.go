package jpegluma

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"testing"
)

// TestHostile decodes cut and corrupted files: every error must be one of
// the package's, and no input may panic (a panic fails the test).
func TestHostile(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, f := range []string{"testdata/cj_restart_3mcu.jpg", "testdata/im_grey_q50.jpg", "testdata/cj_three_scans.jpg"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, b []byte) {
			_, err := Decode(b, 1<<20)
			if err != nil && !errors.Is(err, ErrFormat) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Decode(%s %s) = %v, not a jpegluma error", f, what, err)
			}
		}
		for n := 0; n < len(data); n += 1 + n/64 {
			check("cut", data[:n])
		}
		for i := 0; i < 2000; i++ {
			b := bytes.Clone(data)
			for j := 0; j < 1+rng.IntN(4); j++ {
				b[rng.IntN(len(b))] = byte(rng.IntN(256))
			}
			check("corrupted", b)
		}
	}
}

// TestErrors checks the errors of malformed and unsupported headers.
func TestErrors(t *testing.T) {
	grey, err := os.ReadFile("testdata/im_grey_q50.jpg")
	if err != nil {
		t.Fatal(err)
	}
	sof := bytes.Index(grey, []byte{0xff, mSOF0})
	if sof < 0 {
		t.Fatal("no SOF0 in im_grey_q50.jpg")
	}
	with := func(off int, v ...byte) []byte {
		b := bytes.Clone(grey)
		copy(b[sof+off:], v)
		return b
	}
	three, err := os.ReadFile("testdata/cj_three_scans.jpg")
	if err != nil {
		t.Fatal(err)
	}
	rescan := bytes.Clone(three)
	first := bytes.Index(rescan, []byte{0xff, mSOS})
	second := first + 2 + bytes.Index(rescan[first+2:], []byte{0xff, mSOS})
	rescan[second+5] = rescan[first+5] // the second scan names the first's component
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"a component in two scans", rescan, ErrFormat},
		{"empty", nil, ErrFormat},
		{"no SOI", []byte("not a JPEG"), ErrFormat},
		{"cut after SOI", grey[:2], ErrFormat},
		{"no EOI", grey[:len(grey)-2], ErrFormat},
		{"12-bit", with(4, 12), ErrUnsupported},
		{"progressive", with(1, mSOF2), ErrUnsupported},
		{"arithmetic", with(1, 0xc9), ErrUnsupported},
		{"height from DNL", with(5, 0, 0), ErrUnsupported},
		{"width 0", with(7, 0, 0), ErrFormat},
		{"65535×65535", with(5, 0xff, 0xff, 0xff, 0xff), ErrTooLarge},
		{"2 components", with(9, 2), ErrUnsupported},
		{"sampling 0×1", with(11, 0x01), ErrFormat},
		{"quantisation table 4", with(12, 4), ErrFormat},
	} {
		if _, err := Decode(c.data, 25_000_000); !errors.Is(err, c.want) {
			t.Errorf("Decode(%s) = %v, want %v", c.name, err, c.want)
		} else {
			t.Logf("Decode(%s) = %v", c.name, err)
		}
	}
}
