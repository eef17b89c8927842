package customer

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// credentialsSecretFree stops before creating anything when the credentials
// Secret's name is taken by a Secret this Customer does not own (C12).
func (r *Reconciler) credentialsSecretFree(ctx context.Context, c *v1alpha1.Customer) (*phase.Halt, error) {
	existing, err := r.getCredentialsSecret(ctx, c)
	if err != nil || existing == nil || metav1.IsControlledBy(existing, c) {
		return nil, err
	}
	return r.secretConflict(c), nil
}

// secretConflict reports a credentials Secret that belongs to someone else.
func (r *Reconciler) secretConflict(c *v1alpha1.Customer) *phase.Halt {
	msg := fmt.Sprintf("C12: Secret %q exists and is not owned by this Customer; the admin credentials are never written over it. "+
		"Delete or rename that Secret, or set spec.credentialsSecretName.", c.CredentialsSecretName())
	status.MarkFalse(c, v1alpha1.ConditionCreated, ReasonCredentialsSecretConflict, msg)
	h := phase.WaitFor(ReasonCredentialsSecretConflict, time.Time{}, "%s", msg)
	// Stalled for a person, but the fix (removing that Secret) does not touch the
	// Customer and Secrets are not watched, so look again with a growing delay.
	now := r.Config.Now()
	h.After = status.PollDelay(phase.WaitingSince(c, v1alpha1.ConditionReady, now), now)
	return h
}

// getCredentialsSecret reads the credentials Secret uncached; nil when absent.
func (r *Reconciler) getCredentialsSecret(ctx context.Context, c *v1alpha1.Customer) (*corev1.Secret, error) {
	s := &corev1.Secret{}
	err := r.Reader.Get(ctx, types.NamespacedName{Namespace: c.Namespace, Name: c.CredentialsSecretName()}, s)
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Keys of the credentials Secret.
const (
	// SecretKeyUserName is the admin's bare alias as Partner Center returns it ("admin").
	SecretKeyUserName = "userName"
	// SecretKeyUserPrincipalName is the admin's sign-in name, admin@<domain>.onmicrosoft.com.
	SecretKeyUserPrincipalName = "userPrincipalName"
	// SecretKeyPassword is the temporary password, returned once at creation.
	SecretKeyPassword = "password"
	// SecretKeyCustomerID is the customer (tenant) ID.
	SecretKeyCustomerID = "customerID"
)

// storeCredentials writes the one-time admin credentials into the Secret owned
// by the Customer (C12) before the customer ID is recorded, so a crash in
// between replays the create and writes them again. The Secret is created
// straight away (credentialsSecretFree has just seen the name free); only a
// replay finds it there and reads it, to rewrite it if it is ours.
func (r *Reconciler) storeCredentials(ctx context.Context, c *v1alpha1.Customer, created *wire.Customer) (*phase.Halt, error) {
	creds := created.UserCredentials
	if creds == nil || creds.Password == "" {
		return r.noCredentialsReturned(ctx, c, created.ID)
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: c.Namespace, Name: c.CredentialsSecretName()},
		Type:       corev1.SecretTypeOpaque,
		Data: map[string][]byte{
			SecretKeyUserName:          []byte(creds.UserName),
			SecretKeyUserPrincipalName: []byte(creds.UserName + "@" + onMicrosoftDomain(c)),
			SecretKeyPassword:          []byte(creds.Password),
			SecretKeyCustomerID:        []byte(created.ID),
		},
	}
	if err := controllerutil.SetControllerReference(c, secret, r.Client.Scheme()); err != nil {
		return nil, err
	}
	err := r.Client.Create(ctx, secret)
	if apierrors.IsAlreadyExists(err) {
		return r.rewriteCredentials(ctx, c, secret.Data)
	}
	if err != nil {
		return nil, err
	}
	r.Event(c, corev1.EventTypeNormal, EventCredentialsStored, "Admin credentials stored in Secret %s", secret.Name)
	return nil, nil
}

// noCredentialsReturned warns, once, that Partner Center answered the create
// without the admin credentials (a replay finds the Secret already written).
func (r *Reconciler) noCredentialsReturned(ctx context.Context, c *v1alpha1.Customer, customerID string) (*phase.Halt, error) {
	existing, err := r.getCredentialsSecret(ctx, c)
	if err != nil {
		return nil, err
	}
	if existing != nil && !metav1.IsControlledBy(existing, c) {
		return r.secretConflict(c), nil
	}
	if existing == nil {
		r.Event(c, corev1.EventTypeWarning, EventCredentialsStored, "Partner Center returned no admin credentials for customer %s", customerID)
	}
	return nil, nil
}

// rewriteCredentials updates the credentials Secret found in place when it is
// ours, and refuses one that belongs to someone else (C12).
func (r *Reconciler) rewriteCredentials(ctx context.Context, c *v1alpha1.Customer, data map[string][]byte) (*phase.Halt, error) {
	existing, err := r.getCredentialsSecret(ctx, c)
	if err != nil {
		return nil, err
	}
	if existing == nil {
		return nil, fmt.Errorf("the credentials Secret %q was deleted while being written; trying again", c.CredentialsSecretName())
	}
	if !metav1.IsControlledBy(existing, c) {
		return r.secretConflict(c), nil
	}
	return nil, r.updateSecretData(ctx, existing, data)
}

// updateSecretData rewrites our Secret only when its data differs.
func (r *Reconciler) updateSecretData(ctx context.Context, s *corev1.Secret, data map[string][]byte) error {
	same := len(s.Data) == len(data)
	for k, v := range data {
		same = same && string(s.Data[k]) == string(v)
	}
	if same {
		return nil
	}
	s.Data = data
	return r.Client.Update(ctx, s)
}
