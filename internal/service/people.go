package service

import (
	"container/list"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/atomicfile"
	"github.com/offcode/offcode/internal/store"
)

// SecretSize is the size of the service secret that keys people's HMACs.
const SecretSize = 32

// LoadSecret reads the service secret from path. Like the key file, it must
// not be readable by group or others.
func LoadSecret(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("service: opening secret: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("service: opening secret: %w", err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("service: secret file %s has mode %04o, want 0600 (run: chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, SecretSize+1))
	if err != nil {
		return nil, fmt.Errorf("service: reading secret: %w", err)
	}
	if len(b) != SecretSize {
		return nil, fmt.Errorf("service: secret file %s holds %d bytes, want %d", path, len(b), SecretSize)
	}
	return b, nil
}

// CreateSecret writes a new random secret to path (mode 0600). It never
// overwrites: if path exists the error wraps fs.ErrExist.
func CreateSecret(path string, rand io.Reader) error {
	b := make([]byte, SecretSize)
	if _, err := io.ReadFull(rand, b); err != nil {
		return fmt.Errorf("service: making secret: %w", err)
	}
	if err := atomicfile.WriteNew(path, b, 0o600); err != nil {
		return fmt.Errorf("service: secret: %w", err)
	}
	return nil
}

// personKey returns HMAC-SHA256(secret, normalised ID number): how the store
// knows a person without holding the number.
func (s *Service) personKey(id identity.ID) store.PersonKey {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(idText(id)))
	var k store.PersonKey
	m.Sum(k[:0])
	return k
}

// idText is the one place the service reads an ID number's digits: to key
// its HMAC.
func idText(id identity.ID) string { return id.Number() }

// person is what issuing needs to know about someone.
type person struct {
	key      store.PersonKey
	identity identity.Hash
}

// lookupPerson returns id's identity hash: from the cache, else from the
// store, else a fresh one (one Argon2id evaluation, SPEC.md §5.3), claimed
// in the store before any code carries it.
func (s *Service) lookupPerson(ctx context.Context, id identity.ID) (person, error) {
	p := person{key: s.personKey(id)}
	if h, ok := s.cache.get(p.key); ok {
		s.metrics.cache.WithLabelValues("hit").Inc()
		p.identity = h
		return p, nil
	}
	h, err := s.store.Person(ctx, p.key)
	if err == nil {
		s.metrics.cache.WithLabelValues("store").Inc()
		s.cache.put(p.key, h)
		p.identity = h
		return p, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return p, err
	}
	s.metrics.cache.WithLabelValues("new").Inc()
	h, err = s.newHash(ctx, p.key, id)
	if err != nil {
		return p, err
	}
	p.identity = h
	return p, nil
}

// hashCall is an identity hash being computed.
type hashCall struct {
	done chan struct{}
	h    identity.Hash
	err  error
}

// newHash computes a fresh identity hash for id (one Argon2id evaluation)
// and claims it in the store, which returns the hash to use: another
// instance may have claimed one first. Concurrent first requests for one
// person in this process share one computation.
func (s *Service) newHash(ctx context.Context, key store.PersonKey, id identity.ID) (identity.Hash, error) {
	s.inflightMu.Lock()
	if c, ok := s.inflight[key]; ok {
		s.inflightMu.Unlock()
		select {
		case <-c.done:
			if c.err != nil && ctx.Err() == nil && (errors.Is(c.err, context.Canceled) || errors.Is(c.err, context.DeadlineExceeded)) {
				// The request that computed it went away: not our failure.
				return s.newHash(ctx, key, id)
			}
			return c.h, c.err
		case <-ctx.Done():
			return identity.Hash{}, ctx.Err()
		}
	}
	// A computation that finished since our cache lookup left its hash in
	// the cache under this lock.
	if h, ok := s.cache.get(key); ok {
		s.inflightMu.Unlock()
		return h, nil
	}
	c := &hashCall{done: make(chan struct{})}
	s.inflight[key] = c
	s.inflightMu.Unlock()
	defer func() {
		s.inflightMu.Lock()
		if c.err == nil {
			s.cache.put(key, c.h)
		}
		delete(s.inflight, key)
		s.inflightMu.Unlock()
		close(c.done)
	}()
	if c.err = callerFrom(ctx).chargeNew(); c.err != nil {
		return identity.Hash{}, c.err
	}
	var salt [identity.SaltSize]byte
	if _, err := io.ReadFull(s.rand, salt[:]); err != nil {
		c.err = fmt.Errorf("service: reading salt: %w", err)
		return identity.Hash{}, c.err
	}
	// Argon2id takes 4 MiB and a core for ~5 ms: bound how many run at once.
	select {
	case s.hashSem <- struct{}{}:
	case <-ctx.Done():
		c.err = ctx.Err()
		return identity.Hash{}, c.err
	}
	h := identity.HashID(id, salt)
	<-s.hashSem
	c.h, c.err = s.store.ClaimPerson(ctx, key, h, s.now())
	return c.h, c.err
}

// lru is a bounded least-recently-used cache of identity hashes.
type lru struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[store.PersonKey]*list.Element
}

type lruEntry struct {
	key store.PersonKey
	h   identity.Hash
}

func newLRU(max int) *lru {
	return &lru{max: max, ll: list.New(), items: make(map[store.PersonKey]*list.Element)}
}

func (c *lru) get(k store.PersonKey) (identity.Hash, bool) {
	if c.max <= 0 {
		return identity.Hash{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*lruEntry).h, true
	}
	return identity.Hash{}, false
}

func (c *lru) put(k store.PersonKey, h identity.Hash) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*lruEntry).h = h
		c.ll.MoveToFront(e)
		return
	}
	c.items[k] = c.ll.PushFront(&lruEntry{k, h})
	if c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.items, old.Value.(*lruEntry).key)
	}
}
