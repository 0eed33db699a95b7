package vectordir

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWriteLeavesExactlyTheSet(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "stale.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(dir, "README.md"), []byte("keep"), 0o644)
	n, err := Write(dir, map[string][]byte{"a.json": []byte("1"), "b.json": []byte("2")})
	if err != nil || n != 2 {
		t.Fatalf("Write = %d, %v, want 2, nil", n, err)
	}
	got, _ := filepath.Glob(filepath.Join(dir, "*"))
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	if want := []string{"README.md", "a.json", "b.json"}; !slices.Equal(got, want) {
		t.Fatalf("folder holds %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b.json")); string(b) != "2" {
		t.Fatalf("b.json = %q, want \"2\"", b)
	}
}
