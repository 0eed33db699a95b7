package gen

import "github.com/offcode/offcode/internal/vectordir"

// WriteDir writes every vector to dir as <name>.json and removes any other
// *.json file there, so that dir holds exactly the current set. Files whose
// content is unchanged are not rewritten. It returns the number of vectors.
func WriteDir(dir string) (int, error) {
	files, err := Generate()
	if err != nil {
		return 0, err
	}
	return vectordir.Write(dir, files)
}
