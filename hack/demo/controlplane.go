package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// controlPlane is the local kube-apiserver + etcd with the CRDs and webhook
// configurations installed.
type controlPlane struct {
	env        *envtest.Environment
	restConfig *rest.Config
	client     client.Client
	kubeconfig string
	logFile    *os.File
	// stateDir holds etcd's data (its WAL alone is 64 MB) and the API
	// server's certificates: inside the demo's directory, so a demo that was
	// killed leaves no large files in /tmp and the next run starts clean.
	// (envtest always puts the webhook certificate in a temporary directory.)
	stateDir string
}

// startControlPlane starts kube-apiserver and etcd on loopback, installs the
// CRDs and the validating webhook configurations (pointed at the manager's
// local webhook server, with a serving certificate envtest generates) and
// writes an admin kubeconfig into dir.
func startControlPlane(assets, dir string) (*controlPlane, error) {
	say("starting kube-apiserver + etcd on loopback; installing the CRDs (config/crd/bases) and the validating webhooks (config/webhook)")
	start := time.Now()
	logFile, err := os.Create(filepath.Join(dir, "control-plane.log"))
	if err != nil {
		return nil, err
	}
	apiserver, etcd, err := guardedBinaries(assets, dir)
	if err != nil {
		return nil, errors.Join(err, logFile.Close())
	}
	cp := &controlPlane{logFile: logFile, stateDir: filepath.Join(dir, "state")}
	if err := cp.makeStateDirs(); err != nil {
		return nil, errors.Join(err, logFile.Close())
	}
	cp.env = &envtest.Environment{
		BinaryAssetsDirectory: assets,
		CRDDirectoryPaths:     []string{filepath.Join("config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		WebhookInstallOptions: envtest.WebhookInstallOptions{
			Paths: []string{filepath.Join("config", "webhook", "manifests.yaml")},
		},
		ControlPlaneStartTimeout: time.Minute, // the machine may be busy
	}
	cp.env.ControlPlane.APIServer = &envtest.APIServer{Path: apiserver, CertDir: filepath.Join(cp.stateDir, "apiserver-certs"), Out: logFile, Err: logFile}
	cp.env.ControlPlane.Etcd = &envtest.Etcd{Path: etcd, DataDir: filepath.Join(cp.stateDir, "etcd"), Out: logFile, Err: logFile}
	if cp.restConfig, err = cp.env.Start(); err != nil {
		return nil, errors.Join(fmt.Errorf("starting the control plane (its log: %s): %w", relative(logFile.Name()), err), logFile.Close())
	}
	if err := cp.connect(dir); err != nil {
		cp.stop()
		return nil, err
	}
	say("control plane up in %s: %s; kubeconfig %s", roughly(time.Since(start)), cp.restConfig.Host, relative(cp.kubeconfig))
	return cp, nil
}

// makeStateDirs empties the state directory (a killed demo may have left
// one) and creates the directories envtest fills.
func (cp *controlPlane) makeStateDirs() error {
	if err := os.RemoveAll(cp.stateDir); err != nil {
		return err
	}
	for _, sub := range []string{"apiserver-certs", "etcd"} {
		if err := os.MkdirAll(filepath.Join(cp.stateDir, sub), 0o700); err != nil {
			return err
		}
	}
	return nil
}

// connect builds the demo's client and writes the admin kubeconfig.
func (cp *controlPlane) connect(dir string) error {
	scheme := runtime.NewScheme()
	if err := errors.Join(clientgoscheme.AddToScheme(scheme), v1alpha1.AddToScheme(scheme)); err != nil {
		return err
	}
	var err error
	if cp.client, err = client.New(cp.restConfig, client.Options{Scheme: scheme}); err != nil {
		return err
	}
	admin, err := cp.env.AddUser(envtest.User{Name: "demo-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return err
	}
	kubeconfig, err := admin.KubeConfig()
	if err != nil {
		return err
	}
	cp.kubeconfig = filepath.Join(dir, "kubeconfig")
	return os.WriteFile(cp.kubeconfig, kubeconfig, 0o600)
}

// webhookServing is where envtest pointed the webhook configurations: the
// manager must serve there, with the certificate in certDir.
func (cp *controlPlane) webhookServing() (host string, port int, certDir string, caPEM []byte) {
	o := cp.env.WebhookInstallOptions
	return o.LocalServingHost, o.LocalServingPort, o.LocalServingCertDir, o.LocalServingCAData
}

// stop ends kube-apiserver and etcd and removes their data and certificates.
func (cp *controlPlane) stop() {
	if err := cp.env.Stop(); err != nil {
		say("stopping the control plane: %v", err)
	} else {
		say("stopped kube-apiserver and etcd")
	}
	_ = cp.logFile.Close()
	_ = os.RemoveAll(cp.stateDir)
}
