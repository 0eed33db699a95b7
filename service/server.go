package service

import (
	"log/slog"
	"net/http"
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
