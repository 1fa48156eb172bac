from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.open_api_document_components import OpenApiDocumentComponents
    from ..models.open_api_document_info import OpenApiDocumentInfo
    from ..models.open_api_document_paths import OpenApiDocumentPaths
    from ..models.open_api_document_security_item import OpenApiDocumentSecurityItem
    from ..models.open_api_document_servers_item import OpenApiDocumentServersItem
    from ..models.open_api_document_tags_item import OpenApiDocumentTagsItem


T = TypeVar("T", bound="OpenApiDocument")


@_attrs_define
class OpenApiDocument:
    """An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0): this one.

    Attributes:
        openapi (str): the OpenAPI version, `3.1.0`
        info (OpenApiDocumentInfo): the API's title and version
        paths (OpenApiDocumentPaths): every operation, by path and method
        components (OpenApiDocumentComponents): named schemas, parameters, headers and the security scheme
        servers (list[OpenApiDocumentServersItem] | Unset): the address the document was fetched from
        security (list[OpenApiDocumentSecurityItem] | Unset): the bearer token every operation needs
        tags (list[OpenApiDocumentTagsItem] | Unset): operation groups
    """

    openapi: str
    info: OpenApiDocumentInfo
    paths: OpenApiDocumentPaths
    components: OpenApiDocumentComponents
    servers: list[OpenApiDocumentServersItem] | Unset = UNSET
    security: list[OpenApiDocumentSecurityItem] | Unset = UNSET
    tags: list[OpenApiDocumentTagsItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        openapi = self.openapi

        info = self.info.to_dict()

        paths = self.paths.to_dict()

        components = self.components.to_dict()

        servers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.servers, Unset):
            servers = []
            for servers_item_data in self.servers:
                servers_item = servers_item_data.to_dict()
                servers.append(servers_item)

        security: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.security, Unset):
            security = []
            for security_item_data in self.security:
                security_item = security_item_data.to_dict()
                security.append(security_item)

        tags: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = []
            for tags_item_data in self.tags:
                tags_item = tags_item_data.to_dict()
                tags.append(tags_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "openapi": openapi,
                "info": info,
                "paths": paths,
                "components": components,
            }
        )
        if servers is not UNSET:
            field_dict["servers"] = servers
        if security is not UNSET:
            field_dict["security"] = security
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.open_api_document_components import OpenApiDocumentComponents  # noqa: PLC0415
        from ..models.open_api_document_info import OpenApiDocumentInfo  # noqa: PLC0415
        from ..models.open_api_document_paths import OpenApiDocumentPaths  # noqa: PLC0415
        from ..models.open_api_document_security_item import OpenApiDocumentSecurityItem  # noqa: PLC0415
        from ..models.open_api_document_servers_item import OpenApiDocumentServersItem  # noqa: PLC0415
        from ..models.open_api_document_tags_item import OpenApiDocumentTagsItem  # noqa: PLC0415

        d = dict(src_dict)
        openapi = d.pop("openapi")

        info = OpenApiDocumentInfo.from_dict(d.pop("info"))

        paths = OpenApiDocumentPaths.from_dict(d.pop("paths"))

        components = OpenApiDocumentComponents.from_dict(d.pop("components"))

        _servers = d.pop("servers", UNSET)
        servers: list[OpenApiDocumentServersItem] | Unset = UNSET
        if _servers is not UNSET:
            servers = []
            for servers_item_data in _servers:
                servers_item = OpenApiDocumentServersItem.from_dict(servers_item_data)

                servers.append(servers_item)

        _security = d.pop("security", UNSET)
        security: list[OpenApiDocumentSecurityItem] | Unset = UNSET
        if _security is not UNSET:
            security = []
            for security_item_data in _security:
                security_item = OpenApiDocumentSecurityItem.from_dict(security_item_data)

                security.append(security_item)

        _tags = d.pop("tags", UNSET)
        tags: list[OpenApiDocumentTagsItem] | Unset = UNSET
        if _tags is not UNSET:
            tags = []
            for tags_item_data in _tags:
                tags_item = OpenApiDocumentTagsItem.from_dict(tags_item_data)

                tags.append(tags_item)

        open_api_document = cls(
            openapi=openapi,
            info=info,
            paths=paths,
            components=components,
            servers=servers,
            security=security,
            tags=tags,
        )

        open_api_document.additional_properties = d
        return open_api_document

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
