package service

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/offcode/offcode/internal/atomicfile"
)

// Scope is a permission an API token carries.
type Scope string

// The scopes.
const (
	ScopeIssue Scope = "issue" // POST /v1/codes, /v1/codes/batch
	ScopeBind  Scope = "bind"  // kinship bindings and their codes
	ScopeAudit Scope = "audit" // GET /v1/audit, without identities
	// ScopeAuditIdentity adds each record's person and identity hash to
	// GET /v1/audit: what a stolen export would let an attacker crack.
	ScopeAuditIdentity Scope = "audit_identity"
	ScopeRevoke        Scope = "revoke"  // POST and GET /v1/revocations
	ScopeMetrics       Scope = "metrics" // GET /metrics, when the service keeps it private
)

var allScopes = []Scope{ScopeIssue, ScopeBind, ScopeAudit, ScopeAuditIdentity, ScopeRevoke, ScopeMetrics}

// ParseScopes parses a comma-separated list of scopes.
func ParseScopes(s string) ([]Scope, error) {
	var out []Scope
	for _, p := range strings.Split(s, ",") {
		sc := Scope(strings.TrimSpace(p))
		if !slices.Contains(allScopes, sc) {
			return nil, fmt.Errorf("service: unknown scope %q: want issue, bind, audit, audit_identity, revoke or metrics", sc)
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// Token is one API token as the tokens file holds it: a name, the SHA-256
// of the secret token (never the token itself), its scopes and optional rate
// limit.
type Token struct {
	Name   string  `json:"name"`
	SHA256 string  `json:"sha256"`          // hex
	Scopes []Scope `json:"scopes"`          // issue, bind, audit
	Rate   float64 `json:"rate,omitempty"`  // requests per second; 0 means the service default
	Burst  int     `json:"burst,omitempty"` // 0 means the service default

	sum [sha256.Size]byte
}

// Tokens is the content of a tokens file.
type Tokens struct {
	Tokens []*Token `json:"tokens"`
}

// validTokenName reports whether s is a token name: 1-64 letters, digits,
// '.', '_' or '-', starting with a letter or digit. (A regexp compiled at
// package initialisation cost every run of the binary 861 allocations.)
func validTokenName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}

// ParseTokens parses a tokens file strictly.
func ParseTokens(b []byte) (*Tokens, error) {
	var ts Tokens
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ts); err != nil {
		return nil, fmt.Errorf("service: tokens file: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("service: tokens file: data after the JSON object")
	}
	names := map[string]bool{}
	for i, t := range ts.Tokens {
		if t == nil || !validTokenName(t.Name) {
			return nil, fmt.Errorf("service: tokens file: token %d: name must be 1-64 letters, digits, '.', '_' or '-'", i)
		}
		if names[t.Name] {
			return nil, fmt.Errorf("service: tokens file: token name %q appears twice", t.Name)
		}
		names[t.Name] = true
		sum, err := hex.DecodeString(t.SHA256)
		if err != nil || len(sum) != sha256.Size {
			return nil, fmt.Errorf("service: tokens file: token %q: sha256 must be 64 hex digits", t.Name)
		}
		copy(t.sum[:], sum)
		for _, s := range t.Scopes {
			if !slices.Contains(allScopes, s) {
				return nil, fmt.Errorf("service: tokens file: token %q: unknown scope %q", t.Name, s)
			}
		}
		if t.Rate < 0 || t.Burst < 0 {
			return nil, fmt.Errorf("service: tokens file: token %q: negative rate or burst", t.Name)
		}
	}
	return &ts, nil
}

// LoadTokens reads a tokens file. Like the key file, it must not be
// writable by group or others: whoever can write it can grant themselves
// any scope.
func LoadTokens(path string) (*Tokens, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("service: reading tokens: %w", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o022 != 0 {
		return nil, fmt.Errorf("service: tokens file %s has mode %04o: others can write it, want 0600 (run: chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("service: reading tokens: %w", err)
	}
	ts, err := ParseTokens(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ts, nil
}

// lookup returns the token whose secret is secret, or nil. It compares the
// SHA-256 of secret with every token's in constant time.
func (ts *Tokens) lookup(secret string) *Token {
	sum := sha256.Sum256([]byte(secret))
	var found *Token
	for _, t := range ts.Tokens {
		if subtle.ConstantTimeCompare(sum[:], t.sum[:]) == 1 {
			found = t
		}
	}
	return found
}

func (t *Token) has(s Scope) bool { return slices.Contains(t.Scopes, s) }

// tokenPrefix starts every secret token, so that it is recognisable in a
// leaked file or log.
const tokenPrefix = "oc_"

// NewToken returns a fresh secret token (32 random bytes from rand) and the
// Token entry, holding only its hash, to put in a tokens file.
func NewToken(rand io.Reader, name string, scopes []Scope) (secret string, t *Token, err error) {
	if !validTokenName(name) {
		return "", nil, fmt.Errorf("service: token name %q: want 1-64 letters, digits, '.', '_' or '-'", name)
	}
	var b [32]byte
	if _, err := io.ReadFull(rand, b[:]); err != nil {
		return "", nil, fmt.Errorf("service: making token: %w", err)
	}
	secret = tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(secret))
	return secret, &Token{Name: name, SHA256: hex.EncodeToString(sum[:]), Scopes: scopes, sum: sum}, nil
}

// ErrTokenExists is returned by AddToken for a name the file already has.
var ErrTokenExists = errors.New("service: a token with this name exists")

// AddToken adds t to the tokens file at path, creating it (mode 0600) if
// needed. The file is replaced atomically.
func AddToken(path string, t *Token) error {
	ts := &Tokens{Tokens: []*Token{}}
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if ts, err = ParseTokens(b); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	case errors.Is(err, fs.ErrNotExist):
	default:
		return fmt.Errorf("service: reading tokens: %w", err)
	}
	for _, o := range ts.Tokens {
		if o.Name == t.Name {
			return fmt.Errorf("%w: %q in %s", ErrTokenExists, t.Name, path)
		}
	}
	ts.Tokens = append(ts.Tokens, t)
	out, err := json.MarshalIndent(ts, "", "  ")
	if err != nil {
		return fmt.Errorf("service: writing tokens: %w", err)
	}
	if err := atomicfile.WriteFile(path, append(out, '\n'), 0o600); err != nil {
		return fmt.Errorf("service: %w", err)
	}
	return nil
}
