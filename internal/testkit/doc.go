// Package testkit holds, in its subdirectories, packages that only tests
// and benchmarks import: nothing under internal/testkit is linked into the
// offcode binary (see the package comment of internal/doc.go for the other
// roles).
package testkit
