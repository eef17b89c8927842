package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/cspforge/partnercenter-operator/internal/credentials"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// credentialsSecret names the credentials Secret as namespace/name.
var credentialsSecret = flag.String("credentials-secret", "",
	"namespace/name of the credentials Secret mounted at --credentials-dir: the App+User refresh token Entra rotates is written back to it (keys refreshToken and refreshTokenIssuedAt) and age warnings are Events on it. Empty: a rotated token lives in memory only and is lost on restart.")

// superviseRefreshToken keeps an App+User refresh token alive across
// restarts: rotated tokens go back to the credentials Secret, and its age is
// watched (metrics always; a Warning event on the Secret from day 76).
func superviseRefreshToken(mgr ctrl.Manager, creds *partnercenter.Credentials) error {
	if creds == nil {
		return nil // the built-in simulator's fixed tokens
	}
	token, ok := creds.AppUser.(*partnercenter.RefreshTokenCredential)
	if !ok {
		return nil
	}
	for _, c := range credentials.Collectors() {
		if err := ctrlmetrics.Registry.Register(c); err != nil && !errors.As(err, &prometheus.AlreadyRegisteredError{}) {
			return err
		}
	}
	monitor := &credentials.AgeMonitor{Token: token, Clock: clock.RealClock{}, Log: ctrl.Log.WithName("credentials")}
	if *credentialsSecret != "" {
		key, err := parseSecretKey(*credentialsSecret)
		if err != nil {
			return err
		}
		// Uncached: the manager's cache keeps no Secret data, and the Secret is read once per rotation.
		direct, err := client.New(mgr.GetConfig(), client.Options{Scheme: mgr.GetScheme()})
		if err != nil {
			return err
		}
		token.PersistRotationsTo(credentials.SecretStore{Client: direct, Secret: key})
		monitor.Secret, monitor.Recorder = key, mgr.GetEventRecorder("partnercenter-credentials")
	}
	return mgr.Add(monitor)
}

// parseSecretKey reads namespace/name.
func parseSecretKey(s string) (types.NamespacedName, error) {
	ns, name, ok := strings.Cut(s, "/")
	if !ok || ns == "" || name == "" {
		return types.NamespacedName{}, fmt.Errorf("--credentials-secret %q: want namespace/name", s)
	}
	return types.NamespacedName{Namespace: ns, Name: name}, nil
}
