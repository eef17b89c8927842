package pcsim

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is a simulator listening on a loopback port over real HTTP.
type Server struct {
	// Sim is the simulator behind the server (Go API for tests).
	Sim      *Simulator
	listener net.Listener
	http     *http.Server
	done     chan struct{}
}

// NewServer starts a simulator on 127.0.0.1 with a free port.
func NewServer(cfg Config) (*Server, error) {
	return Listen("127.0.0.1:0", cfg)
}

// Listen starts a simulator on addr (host:port).
func Listen(addr string, cfg Config) (*Server, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pcsim: listen %s: %w", addr, err)
	}
	sim := New(cfg)
	srv := &Server{
		Sim: sim, listener: l, done: make(chan struct{}),
		http: &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second},
	}
	go func() {
		defer close(srv.done)
		// Serve returns ErrServerClosed on Close; any other failure shows up as failing requests.
		_ = srv.http.Serve(l)
	}()
	return srv, nil
}

// URL is the base URL, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() }

// Close stops the server and waits for it.
func (s *Server) Close() {
	_ = s.http.Close()
	<-s.done
}
