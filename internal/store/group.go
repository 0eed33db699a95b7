package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/offcode/offcode/identity"
)

// job is a write waiting for a group commit: audit records, or a claim of a
// person's identity hash.
type job struct {
	recs  []*Record
	claim *claim
	err   chan error
}

// claim is a ClaimPerson call; the commit sets got.
type claim struct {
	p   PersonKey
	h   identity.Hash
	at  time.Time
	got identity.Hash
}

// size is the number of rows the job writes.
func (j *job) size() int {
	if j.claim != nil {
		return 1
	}
	return len(j.recs)
}

// committer runs group commit: writers take as many queued jobs as are
// waiting (up to maxBatch rows) and commit them in one transaction, so
// while one commit waits for its fsync the next batch gathers.
type committer struct {
	maxBatch int
	commit   func(batch []*job) error

	commits, records atomic.Int64

	mu     sync.RWMutex // guards closed and sends on jobs
	closed bool
	jobs   chan *job
	wg     sync.WaitGroup
}

func newCommitter(writers, maxBatch int, commit func([]*job) error) *committer {
	c := &committer{maxBatch: maxBatch, commit: commit, jobs: make(chan *job, 4096)}
	for range writers {
		c.wg.Add(1)
		go c.writer()
	}
	return c
}

// do queues j and waits for its commit.
func (c *committer) do(ctx context.Context, j *job) error {
	j.err = make(chan error, 1)
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return ErrClosed
	}
	select {
	case c.jobs <- j:
	case <-ctx.Done():
		c.mu.RUnlock()
		return ctx.Err()
	}
	c.mu.RUnlock()
	select {
	case err := <-j.err:
		return err
	case <-ctx.Done():
		// The rows may still be committed; the caller must not hand out
		// the codes, and an audit record without a delivered code is
		// harmless.
		return ctx.Err()
	}
}

// close stops accepting jobs and waits for the queued ones to commit.
func (c *committer) close() {
	c.mu.Lock()
	was := c.closed
	c.closed = true
	if !was {
		close(c.jobs)
	}
	c.mu.Unlock()
	c.wg.Wait()
}

func (c *committer) stats() Stats {
	return Stats{Commits: c.commits.Load(), Records: c.records.Load()}
}

func (c *committer) writer() {
	defer c.wg.Done()
	var batch []*job
	for j := range c.jobs {
		batch = append(batch[:0], j)
		n := j.size()
	drain:
		for n < c.maxBatch {
			select {
			case j, ok := <-c.jobs:
				if !ok {
					break drain
				}
				batch = append(batch, j)
				n += j.size()
			default:
				break drain
			}
		}
		err := c.commit(batch)
		if err == nil {
			recs := 0
			for _, j := range batch {
				recs += len(j.recs)
			}
			if recs > 0 {
				c.commits.Add(1)
				c.records.Add(int64(recs))
			}
		}
		for _, j := range batch {
			j.err <- err
		}
	}
}
