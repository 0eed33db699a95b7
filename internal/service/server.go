package service

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server timeouts: every phase of a request is bounded.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second // a batch body of MaxBatchSize lines
	WriteTimeout      = 60 * time.Second // a batch of first-time people costs ~5 ms each
	IdleTimeout       = 120 * time.Second
	ShutdownTimeout   = 30 * time.Second
	MaxHeaderBytes    = 16 << 10
)

// NewHTTPServer returns an http.Server for h on addr with the timeouts above.
func NewHTTPServer(addr string, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// LimitListener returns a listener that accepts at most n connections at
// once: a client beyond the cap waits in the kernel's backlog until a
// connection closes, instead of costing a goroutine and its buffers.
func LimitListener(ln net.Listener, n int) net.Listener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n)}
}

type limitListener struct {
	net.Listener
	sem chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
