package service

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes checks /v1/openapi.json against the real routes
// (every route documented with its method, nothing documented that is not
// served) and the error codes (the enum is exactly the codes errors.go
// declares, and every code the handlers can return is declared).
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Enum []string `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	s := &Service{}
	var served, documented []string
	for _, rt := range s.routeTable() {
		served = append(served, rt.method+" "+rt.path)
	}
	served = append(served, "GET /metrics", "GET /v1/bundle") // /v1/bundle with Config.Bundles
	for path, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			documented = append(documented, strings.ToUpper(m)+" "+path)
		}
	}
	sort.Strings(served)
	sort.Strings(documented)
	if !slices.Equal(served, documented) {
		t.Fatalf("routes served:\n%s\ndocumented:\n%s", strings.Join(served, "\n"), strings.Join(documented, "\n"))
	}
	enum := slices.Clone(doc.Components.Schemas["ErrorCode"].Enum)
	codes := slices.Clone(allCodes)
	sort.Strings(enum)
	sort.Strings(codes)
	if !slices.Equal(enum, codes) {
		t.Fatalf("ErrorCode enum %v, errors.go declares %v", enum, codes)
	}
	// Every error code constant errors.go declares is in allCodes.
	errs, err := os.ReadFile("errors.go")
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`\bCode[A-Z][A-Za-z]+\s*=\s*"([a-z_]+)"`).FindAllStringSubmatch(string(errs), -1)
	if len(decl) != len(allCodes) {
		t.Fatalf("errors.go declares %d codes, allCodes lists %d", len(decl), len(allCodes))
	}
	for _, m := range decl {
		if !slices.Contains(allCodes, m[1]) {
			t.Fatalf("code %q is missing from allCodes", m[1])
		}
	}
	// Each documented error response names codes that exist.
	for path, ops := range doc.Paths {
		for m, op := range ops {
			for _, c := range regexp.MustCompile(`Codes: ([a-z_, ]+)\.`).FindAllStringSubmatch(string(op), -1) {
				for _, code := range strings.Split(c[1], ", ") {
					if !slices.Contains(allCodes, code) {
						t.Errorf("%s %s documents unknown code %q", m, path, code)
					}
				}
			}
		}
	}
}
