package gen

import (
	"path/filepath"

	"github.com/offcode/offcode/internal/tools/vectordir"
)

// Subfolders of the vector folder for the ID number and trust-store
// vectors (SPEC.md §10.4, §10.5).
const (
	IDsDir   = "ids"
	TrustDir = "trust"
)

// WriteDir writes every code vector to dir as <name>.json, the ID number
// vectors to dir/ids and the trust-store vectors to dir/trust, and removes
// any other *.json file in those folders, so that each holds exactly the
// current set. Files whose content is unchanged are not rewritten. It
// returns the number of vectors.
func WriteDir(dir string) (int, error) {
	total := 0
	for _, set := range []struct {
		sub string
		gen func() (map[string][]byte, error)
	}{{"", Generate}, {IDsDir, GenerateIDs}, {TrustDir, GenerateTrust}} {
		files, err := set.gen()
		if err != nil {
			return 0, err
		}
		n, err := vectordir.Write(filepath.Join(dir, set.sub), files)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
