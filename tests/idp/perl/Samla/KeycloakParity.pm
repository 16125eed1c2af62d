# Reshapes Lemonldap::NG's OIDC tokens so they look like Keycloak's, which is what Samla runs in production
# (DESIGN §6): the roles claim moves to realm_access.roles (always present, empty for a person without
# roles), access tokens carry azp and typ=Bearer, and ID tokens are meant for the client alone.
package Samla::KeycloakParity;

use strict;
use Mouse;
use Lemonldap::NG::Portal::Main::Constants qw(PE_OK);

extends 'Lemonldap::NG::Portal::Main::Plugin';

use constant hook => {
    oidcGenerateUserInfoResponse => 'userInfo',
    oidcGenerateAccessToken      => 'accessToken',
    oidcGenerateIDToken          => 'idToken',
};

# The portal insists on a cookie domain and sends it as "Domain=.127.0.0.1", which browsers may refuse on
# an IP address; with none, the SSO cookie is host-only, which is all a loopback provider needs.
sub init {
    my ($self) = @_;
    $self->conf->{domain} = '';
    return 1;
}

# LLNG releases a multi-valued claim as a list, a single value as a string and an empty one not at all.
sub _realmAccess {
    my ($payload) = @_;
    my $roles = delete $payload->{roles};
    if ( defined $roles ) {
        $payload->{realm_access} = { roles => ref $roles ? $roles : [$roles] };
    }
    $payload->{realm_access} ||= { roles => [] };
    return;
}

# Every token's claims go through here (userinfo, access token and ID token all build on it).
sub userInfo {
    my ( $self, $req, $payload ) = @_;
    _realmAccess($payload);
    return PE_OK;
}

sub accessToken {
    my ( $self, $req, $payload ) = @_;
    _realmAccess($payload);
    $payload->{azp} = $payload->{client_id};
    $payload->{typ} = 'Bearer';
    return PE_OK;
}

# The additional audience (the API, "samla") belongs in access tokens only: an ID token that named the API
# would be accepted by it as a bearer token, which Keycloak's ID tokens never are.
sub idToken {
    my ( $self, $req, $payload ) = @_;
    _realmAccess($payload);
    $payload->{aud} = [ $payload->{azp} ];
    $payload->{typ} = 'ID';
    return PE_OK;
}

1;
