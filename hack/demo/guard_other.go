//go:build !linux

package main

import (
	"path/filepath"
	"syscall"
)

// guardedBinaries returns the real control-plane binaries: outside Linux
// there is no parent-death signal, so only an orderly stop (Ctrl-C) ends them.
func guardedBinaries(assets, _ string) (apiserver, etcd string, err error) {
	return filepath.Join(assets, "kube-apiserver"), filepath.Join(assets, "etcd"), nil
}

// execIfControlPlaneChild does nothing outside Linux (see guard_linux.go).
func execIfControlPlaneChild() {}

// childProcAttr puts a child in its own process group, so Ctrl-C reaches
// the demo, which stops it in order.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
