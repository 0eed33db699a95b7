package service

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/internal/readlimit"
)

// BundlePublisher serves the signed bundles in a directory over HTTP, the latest
// full bundle and the deltas to it (SPEC.md §13.13). The root holder signs
// bundles offline and copies them into the directory; the publisher checks
// each against the root keys, so it never serves a file a device would
// refuse. It is safe for concurrent use.
type BundlePublisher struct {
	dir   string
	roots []ed25519.PublicKey
	cur   atomic.Pointer[published]
}

type published struct {
	seq    uint64
	full   []byte
	deltas map[uint64][]byte // since -> delta to seq
}

// NewBundlePublisher loads the bundles in dir (see Reload).
func NewBundlePublisher(dir string, roots ...ed25519.PublicKey) (*BundlePublisher, error) {
	p := &BundlePublisher{dir: dir, roots: roots}
	if err := p.Reload(); err != nil {
		return nil, err
	}
	return p, nil
}

// Reload reads every *.cbor file in the directory. Each must be a bundle
// signed by a root key. The full bundle with the highest sequence is served,
// with the deltas whose sequence is the same; older files are ignored. On
// error, and if the directory's newest sequence is lower than the one
// served (a rollback of the publication), the publisher keeps what it
// serves.
func (p *BundlePublisher) Reload() error {
	paths, err := filepath.Glob(filepath.Join(p.dir, "*.cbor"))
	if err != nil {
		return fmt.Errorf("service: bundle publisher: %w", err)
	}
	sort.Strings(paths)
	type file struct {
		data []byte
		b    *bundle.Bundle
		path string
	}
	var fulls, deltas []file
	for _, path := range paths {
		data, err := readlimit.File(path, bundle.MaxSize)
		if err != nil {
			return fmt.Errorf("service: bundle publisher: %w", err)
		}
		b, err := bundle.Open(data, p.roots...)
		if err != nil {
			return fmt.Errorf("service: bundle publisher: %s: %w", path, err)
		}
		if b.Delta != nil {
			deltas = append(deltas, file{data, b, path})
		} else {
			fulls = append(fulls, file{data, b, path})
		}
	}
	if len(fulls) == 0 {
		return fmt.Errorf("service: bundle publisher: no full bundle in %s", p.dir)
	}
	best := fulls[0]
	for _, f := range fulls[1:] {
		switch {
		case f.b.Sequence > best.b.Sequence:
			best = f
		case f.b.Sequence == best.b.Sequence && string(f.data) != string(best.data):
			return fmt.Errorf("service: bundle publisher: %s and %s are different bundles with sequence %d", best.path, f.path, f.b.Sequence)
		}
	}
	next := &published{seq: best.b.Sequence, full: best.data, deltas: map[uint64][]byte{}}
	payload, err := bundle.MarshalPayload(best.b)
	if err != nil {
		return fmt.Errorf("service: bundle publisher: %w", err)
	}
	digest := sha256.Sum256(payload) // what a delta's Result commits to (SPEC.md §13.7)
	for _, d := range deltas {
		if d.b.Sequence != next.seq {
			continue
		}
		if d.b.Delta.Result != digest {
			return fmt.Errorf("service: bundle publisher: %s does not produce the bundle of %s", d.path, best.path)
		}
		next.deltas[d.b.Delta.Since] = d.data
	}
	if cur := p.cur.Load(); cur != nil && next.seq < cur.seq {
		return fmt.Errorf("service: bundle publisher: newest bundle in %s has sequence %d, below the %d served", p.dir, next.seq, cur.seq)
	}
	p.cur.Store(next)
	return nil
}

// Sequence returns the sequence of the bundle served.
func (p *BundlePublisher) Sequence() uint64 { return p.cur.Load().seq }

// Select returns what a device holding sequence since (0: none) should
// download: nil if it is up to date, else the delta from since if the
// publisher has it, else the full bundle. It reports whether the result is
// a delta.
func (p *BundlePublisher) Select(since uint64) (data []byte, delta bool) {
	cur := p.cur.Load()
	if since >= cur.seq {
		return nil, false
	}
	if d, ok := cur.deltas[since]; ok && since > 0 {
		return d, true
	}
	return cur.full, false
}

// ServeHTTP serves GET /v1/bundle[?since=N] (SPEC.md §13.13): 200 with the
// bundle (Content-Type bundle.ContentType), or 204 when since is the latest
// sequence or above; 400 for a since that is not a number.
func (p *BundlePublisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var since uint64
	if s := r.URL.Query().Get("since"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]map[string]string{"error": {
				"code": "invalid_argument", "message": "since must be a sequence number"}})
			return
		}
		since = n
	}
	seq := p.Sequence()
	data, delta := p.Select(since)
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Offcode-Bundle-Sequence", strconv.FormatUint(seq, 10))
	if data == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	h.Set("Content-Type", bundle.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	if delta {
		h.Set("Offcode-Bundle-Delta-Since", strconv.FormatUint(since, 10))
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(data)
}
