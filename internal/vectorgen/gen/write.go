package gen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// WriteDir writes every vector to dir as <name>.json and removes any other
// *.json file there, so that dir holds exactly the current set. Files whose
// content is unchanged are not rewritten. It returns the number of vectors.
func WriteDir(dir string) (int, error) {
	files, err := Generate()
	if err != nil {
		return 0, err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return 0, err
	}
	for _, p := range old {
		if _, keep := files[filepath.Base(p)]; !keep {
			if err := os.Remove(p); err != nil {
				return 0, fmt.Errorf("gen: removing stale vector: %w", err)
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
			return 0, fmt.Errorf("gen: %w", err)
		}
	}
	return len(files), nil
}
