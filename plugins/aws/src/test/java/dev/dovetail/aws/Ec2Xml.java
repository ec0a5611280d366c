package dev.dovetail.aws;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.LocationTrait;

/**
 * Writes EC2 query-protocol XML responses ({@code <DescribeInstanceTypesResponse>} etc.) from SDK
 * model objects, using the element names the SDK's own field metadata declares. Fixtures built with
 * the SDK's builders thus become exactly the XML EC2 sends, without hand-typing hundreds of tags.
 */
public final class Ec2Xml {
  private Ec2Xml() {}

  public static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  /** The full response document for an operation's response object. */
  public static String response(String operation, SdkPojo response) {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb.append('<').append(operation).append("Response xmlns=\"").append(NS).append("\">\n");
    sb.append("  <requestId>5f0e8c5a-1d2b-4e7a-9d3a-0b8c7e6f5a4b</requestId>\n");
    fields(sb, response, "  ");
    sb.append("</").append(operation).append("Response>\n");
    return sb.toString();
  }

  /** EC2's error document. */
  public static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
        + code
        + "</Code><Message>"
        + escape(message)
        + "</Message></Error></Errors><RequestID>0d4b1b53-8a0e-4c1f-9a3b-2f6f1c2d3e4f</RequestID></Response>";
  }

  private static void fields(StringBuilder sb, SdkPojo pojo, String indent) {
    for (SdkField<?> f : pojo.sdkFields()) {
      LocationTrait loc = f.getTrait(LocationTrait.class);
      if (loc == null) {
        continue;
      }
      Object v = f.getValueOrDefault(pojo);
      if (v == null) {
        continue;
      }
      if (v instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>
          || v instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>) {
        continue;
      }
      String name = loc.unmarshallLocationName();
      value(sb, f, name, v, indent);
    }
  }

  private static void value(StringBuilder sb, SdkField<?> f, String name, Object v, String indent) {
    if (f.marshallingType() == MarshallingType.LIST) {
      ListTrait lt = f.getTrait(ListTrait.class);
      SdkField<?> member = lt.memberFieldInfo();
      String memberName = lt.memberLocationName() == null ? "item" : lt.memberLocationName();
      sb.append(indent).append('<').append(name).append(">\n");
      for (Object o : (Collection<?>) v) {
        value(sb, member, memberName, o, indent + "  ");
      }
      sb.append(indent).append("</").append(name).append(">\n");
    } else if (v instanceof SdkPojo p) {
      sb.append(indent).append('<').append(name).append(">\n");
      fields(sb, p, indent + "  ");
      sb.append(indent).append("</").append(name).append(">\n");
    } else if (v instanceof Map<?, ?>) {
      throw new IllegalArgumentException("maps are not used by EC2 responses: " + name);
    } else {
      String text = v instanceof Instant i ? i.toString() : String.valueOf(v);
      sb.append(indent)
          .append('<')
          .append(name)
          .append('>')
          .append(escape(text))
          .append("</")
          .append(name)
          .append(">\n");
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
