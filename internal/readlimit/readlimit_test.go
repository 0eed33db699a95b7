package readlimit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := File(p, 5); err != nil || string(b) != "12345" {
		t.Fatalf("File(5 bytes, max 5) = %q, %v", b, err)
	}
	_, err := File(p, 4)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Size != 5 || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("File(5 bytes, max 4) = %v, want a TooLargeError of size 5", err)
	}
	if _, err := File(dir, 10); err == nil {
		t.Fatalf("File(directory) = nil error")
	}
	if _, err := File(filepath.Join(dir, "none"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("File(missing) = %v, want ErrNotExist", err)
	}
}

func TestReader(t *testing.T) {
	if _, err := Reader(strings.NewReader("123456"), "stdin", 5); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Reader(6 bytes, max 5) = %v, want ErrTooLarge", err)
	}
	if b, err := Reader(strings.NewReader("12345"), "stdin", 5); err != nil || string(b) != "12345" {
		t.Fatalf("Reader(5 bytes, max 5) = %q, %v", b, err)
	}
}
