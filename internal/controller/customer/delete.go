package customer

import (
	"context"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// DeleteRemote carries out deletionPolicy Delete: it deletes the customer
// where Partner Center allows it and reports the refusal otherwise. Orphan
// (the default) and adopted customers leave Partner Center untouched (the
// lifecycle runs no DeleteRemote for an Observe object, I1).
func (r *Reconciler) DeleteRemote(ctx context.Context, c *v1alpha1.Customer) (*phase.Halt, error) {
	if c.Spec.DeletionPolicy != v1alpha1.DeletionPolicyDelete || c.Status.Adopted {
		return nil, nil
	}
	if h := phase.DeletionPaused(c, r.Config.Now(), "the customer is deleted in Partner Center"); h != nil {
		return h, nil
	}
	id, err := r.remoteCustomerID(ctx, c)
	if err != nil || id == "" {
		return nil, err
	}
	err = r.External.DeleteCustomer(ctx, requestID(c, "delete/"+id), id)
	switch {
	case err == nil:
		r.Event(c, corev1.EventTypeNormal, EventDeleted, "Deleted customer %s in Partner Center", id)
	case partnercenter.IsNotFound(err):
	case phase.IsClientError(err):
		return phase.WaitFor(ReasonDeleteRefused, r.Config.Now(),
			"Partner Center refused to delete customer %s (%s). Set spec.deletionPolicy: Orphan to delete this object and keep the customer.", id, err.Error()), nil
	default:
		return nil, err
	}
	return nil, nil
}

// remoteCustomerID is the customer to delete: the recorded ID, or — after a
// crash between the create call and recording the ID — the customer holding
// our domain. Without a create intent nothing was ever created.
func (r *Reconciler) remoteCustomerID(ctx context.Context, c *v1alpha1.Customer) (string, error) {
	if c.Status.CustomerID != "" || c.Annotations[AnnotationCreateRequestID] == "" {
		return c.Status.CustomerID, nil
	}
	domain := onMicrosoftDomain(c)
	customers, err := r.External.ListAllCustomers(ctx, 0, &wire.Filter{
		Field: wire.FilterFieldDomain, Value: domain, Operator: wire.FilterOperatorStartsWith,
	})
	if err != nil {
		return "", err
	}
	for _, pc := range customers {
		if pc.CompanyProfile != nil && strings.EqualFold(pc.CompanyProfile.Domain, domain) {
			return pc.ID, nil
		}
	}
	return "", nil
}
