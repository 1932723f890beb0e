"""Every golden SVG must be well-formed XML. Usage: python3 check_xml.py FILE…"""
import sys
import xml.dom.minidom

failed = 0
for path in sys.argv[1:]:
    try:
        xml.dom.minidom.parse(path)
    except Exception as error:  # noqa: BLE001 - any parse failure is a test failure
        print(f"FAIL {path}: {error}")
        failed += 1
print(f"{len(sys.argv) - 1 - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
