#!/usr/bin/env bash
# Counts the exported identifiers of each package of the module (not its
# internal/ packages, commands or tests): consts, vars, funcs, types,
# methods and struct fields, as go/ast sees them in the non-test files.
#
# Usage: scripts/exported-names.sh [DIR]   (DIR: a checkout, default .)
set -euo pipefail
dir=${1:-.}
cd "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/main.go" <<'GO'
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type counts struct{ consts, vars, funcs, types, methods, fields int }

func (c counts) total() int { return c.consts + c.vars + c.funcs + c.types + c.methods + c.fields }

func main() {
	root := os.Args[1]
	byPkg := map[string]*counts{}
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			base := d.Name()
			if rel != "." && (strings.HasPrefix(base, ".") || base == "testdata" || base == "internal" || base == "cmd" || base == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil || f.Name.Name == "main" {
			return nil
		}
		pkg := filepath.Dir(rel)
		c := byPkg[pkg]
		if c == nil {
			c = &counts{}
			byPkg[pkg] = c
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				if d.Recv == nil {
					c.funcs++
				} else if recvExported(d.Recv) {
					c.methods++
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								if d.Tok == token.CONST {
									c.consts++
								} else {
									c.vars++
								}
							}
						}
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						c.types++
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fld := range st.Fields.List {
								for _, n := range fld.Names {
									if n.IsExported() {
										c.fields++
									}
								}
								if len(fld.Names) == 0 { // embedded
									if id := embeddedName(fld.Type); id != "" && ast.IsExported(id) {
										c.fields++
									}
								}
							}
						}
						if it, ok := s.Type.(*ast.InterfaceType); ok {
							for _, m := range it.Methods.List {
								for _, n := range m.Names {
									if n.IsExported() {
										c.methods++
									}
								}
							}
						}
					}
				}
			}
		}
		return nil
	})
	var pkgs []string
	for p := range byPkg {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	var all counts
	fmt.Printf("| package | consts | vars | funcs | types | methods | fields | total |\n|---|---|---|---|---|---|---|---|\n")
	for _, p := range pkgs {
		c := byPkg[p]
		fmt.Printf("| %s | %d | %d | %d | %d | %d | %d | %d |\n", p, c.consts, c.vars, c.funcs, c.types, c.methods, c.fields, c.total())
		all.consts += c.consts
		all.vars += c.vars
		all.funcs += c.funcs
		all.types += c.types
		all.methods += c.methods
		all.fields += c.fields
	}
	fmt.Printf("| **all** | %d | %d | %d | %d | %d | %d | **%d** |\n", all.consts, all.vars, all.funcs, all.types, all.methods, all.fields, all.total())
}

func recvExported(fl *ast.FieldList) bool {
	if len(fl.List) == 0 {
		return false
	}
	return ast.IsExported(embeddedName(fl.List[0].Type))
}

func embeddedName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return embeddedName(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.IndexExpr:
		return embeddedName(t.X)
	case *ast.IndexListExpr:
		return embeddedName(t.X)
	}
	return ""
}
GO
(cd "$tmp" && cat > go.mod <<'MOD'
module exportednames
go 1.22
MOD
)
go run "$tmp/main.go" "$PWD"
