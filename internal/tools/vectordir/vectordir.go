// Package vectordir writes a generated set of test vectors to a folder, so
// that the folder holds exactly that set: the generators of testvectors/
// and testvectors/bundles/ share it.
package vectordir

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Write writes files (file name → content) into dir, creating dir if
// needed, leaves files whose content is unchanged untouched, and removes
// every other *.json file in dir. It returns the number of files.
func Write(dir string, files map[string][]byte) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("vectordir: %w", err)
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return 0, fmt.Errorf("vectordir: %w", err)
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep {
			if err := os.Remove(p); err != nil {
				return 0, fmt.Errorf("vectordir: removing stale vector: %w", err)
			}
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, name)
		if cur, err := os.ReadFile(p); err == nil && bytes.Equal(cur, files[name]) {
			continue
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return 0, fmt.Errorf("vectordir: %w", err)
		}
	}
	return len(files), nil
}
