package org.optline.server.wire;

import java.util.List;
import org.optline.core.message.Category;
import org.optline.core.template.RegisteredTemplate;
import org.optline.proto.v1.Template;
import org.optline.proto.v1.TemplateList;
import org.optline.proto.v1.TemplateRequest;

/** Templates between protobuf and the domain. */
public final class TemplateWire {
    private TemplateWire() {}

    /** The declared category of a request; null when it is missing, which the service refuses with a detail. */
    public static Category declared(TemplateRequest request) {
        return MessageWire.category(request.getCategory());
    }

    public static Template template(RegisteredTemplate registered) {
        return Template.newBuilder()
                .setName(registered.name())
                .setVersion(registered.version())
                .setDeclaredCategory(MessageWire.category(registered.declared()))
                .setCategory(MessageWire.category(registered.category()))
                .setReclassified(registered.reclassified())
                .setReview(registered.review())
                .setText(registered.template().text())
                .setParameters(registered.template().parameterCount())
                .setRegisteredAt(registered.registeredAt().toString())
                .setSource(registered.source() == RegisteredTemplate.Source.API ? Template.Source.API
                        : Template.Source.CONFIGURATION)
                .build();
    }

    public static TemplateList templates(List<RegisteredTemplate> templates) {
        TemplateList.Builder list = TemplateList.newBuilder();
        templates.forEach(template -> list.addTemplates(template(template)));
        return list.build();
    }
}
