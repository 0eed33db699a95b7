// Package testutil holds, in its subdirectories, packages that only tests
// and benchmarks import: nothing under internal/testutil is linked into the
// offcode binary. The other packages under internal/ are of two kinds:
// those the binary is built from (atomicfile, detcbor, edcheck, format,
// keyfile, picture, readlimit, loadgen for offcode-load) and the
// generators and tools run by "go run" (vectorgen, bundlegen, vectordir,
// cmd/privacytable). testcode, a test helper of packages render and scan, is to
// move here.
package testutil
