from django.apps import AppConfig


class StaffpassportConfig(AppConfig):
    name = "staffpassport"

    def ready(self) -> None:
        from staffpassport.vc.credentials import staff_credential_verifier_register

        staff_credential_verifier_register()  # S8: pasted VC-JWTs are checked at /verify/
